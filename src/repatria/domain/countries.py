"""Country codes (ISO 3166-1 alpha-2) as the domain uses them."""

from __future__ import annotations

import re

from repatria.domain.errors import InvalidInput
from repatria.i18n import N_

_ALPHA2 = re.compile(r"^[A-Z]{2}$")


def country_code(value: str, field: str) -> str:
    """Return the code upper-cased, or raise InvalidInput naming the field."""
    code = value.strip().upper()
    if not _ALPHA2.match(code):
        raise InvalidInput(
            field, N_("%(value)s is not an ISO 3166-1 alpha-2 country code"), value=repr(value)
        )
    return code
