"""A refused form comes back as it was typed, with each reason beside its field: the reasons
of a refusal by form field (the form's own names for the command's fields)."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from repatria.domain.errors import Conflict, DomainError, InvalidInput
from repatria.entrypoints.api.errors import field_path
from repatria.entrypoints.web import form_errors
from repatria.entrypoints.web.vocabulary import refusal_words, said

# Refusals a form answers by coming back (anything else is the error page).
KEPT = (ValidationError, InvalidInput, Conflict)
WHOLE_FORM = ""  # the key of a reason that concerns no one field


def reasons(exc: Exception, aliases: Mapping[str, str]) -> dict[str, str]:
    """Why each field was refused, keyed by the form's field name (`aliases` maps the
    command's dotted field names to the form's; a reason no field owns is WHOLE_FORM's)."""
    if isinstance(exc, InvalidInput):
        return {aliases.get(exc.field, exc.field): exc.reason_said(refusal_words())}
    if isinstance(exc, ValidationError):
        found: dict[str, str] = {}
        for error in exc.errors():
            # A check of the whole command (a model validator) names no field: the form says
            # it above its fields.
            name = field_path(tuple(error.get("loc", ()))) if error.get("loc") else WHOLE_FORM
            reason = form_errors.reason(error).removeprefix("Value error, ")
            found.setdefault(aliases.get(name, name), reason)
        return found
    return {WHOLE_FORM: said(exc) if isinstance(exc, DomainError) else str(exc)}
