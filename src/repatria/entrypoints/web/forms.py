"""Form fields and helpers the pages share: bounded text, blanks left unknown, dates typed in a
form, and the redirect back to a case after a change."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Form, Response
from fastapi.responses import RedirectResponse

from repatria.domain.errors import InvalidInput
from repatria.entrypoints.web.typed_dates import example, parse_day
from repatria.i18n import N_

Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=200)]


def given(**fields: str) -> dict[str, Any]:
    """The fields the form filled in: blanks are left out, so they stay unknown."""
    return {name: value.strip() for name, value in fields.items() if value and value.strip()}


def yes_no(value: str) -> bool | None:
    """A yes / no / unknown select."""
    return {"yes": True, "no": False}.get(value)


def form_date(field: str, text: str) -> date:
    """A date typed in a form, as the pages write dates for the reader (typed_dates) or as
    YYYY-MM-DD; anything else is refused naming the field."""
    found = parse_day(text)
    if found is None:
        raise InvalidInput(
            field,
            N_("%(text)s is not a date such as %(example)s"),
            text=repr(text),
            example=example(),
        )
    return found


def back_to(case_id: int, done: str) -> Response:
    """After a change, show the case again (POST, redirect, GET), at its top, where the
    message that says what was done is."""
    return RedirectResponse(f"/cases/{case_id}?done={done}", status_code=303)
