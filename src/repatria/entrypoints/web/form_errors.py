"""Why a form field was refused, in the reader's language (pydantic's messages are English)."""

from __future__ import annotations

from typing import Any

from repatria.domain.errors import InvalidValue
from repatria.entrypoints.web import typed_dates
from repatria.i18n import gettext as _


def reason(error: Any) -> str:
    """The reason a field was refused, from pydantic's error type and its context."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("is required")
    if kind == "string_too_long":
        return _("is too long (at most %(n)s characters)", n=context.get("max_length", "?"))
    if kind == "string_too_short":
        return _("is too short (at least %(n)s characters)", n=context.get("min_length", "?"))
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("must be a whole number")
    if kind in ("decimal_parsing", "float_parsing", "decimal_type"):
        return _("must be a number")
    if kind in ("greater_than_equal", "greater_than"):
        limit = context.get("ge", context.get("gt", "?"))
        return _("must be at least %(n)s", n=limit)
    if kind in ("less_than_equal", "less_than"):
        limit = context.get("le", context.get("lt", "?"))
        return _("must be at most %(n)s", n=limit)
    if kind.startswith("datetime"):
        return _("must be a date and time (UTC)")
    if kind.startswith("date"):  # the form takes the page's way of writing dates (typed_dates)
        return _("must be a date, such as %(example)s", example=typed_dates.example())
    if kind in ("bool_parsing", "bool_type"):
        return _("must be yes or no")
    if kind in ("enum", "literal_error"):
        return _("must be one of %(choices)s", choices=context.get("expected", "…"))
    if kind == "string_pattern_mismatch":
        return _("is not in the expected form")
    if kind == "value_error" and context.get("error") is not None:
        # A command's own check: its sentence, marked where it is raised (services/commands.py).
        refused = context["error"]
        return refused.said() if isinstance(refused, InvalidValue) else _(str(refused))
    return str(error.get("msg", _("is not valid")))
