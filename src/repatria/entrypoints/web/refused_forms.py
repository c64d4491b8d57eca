"""Every form that is refused comes back as it was typed: the page is shown again with the
form's fields as typed, each reason beside its field in plain words, and nothing stored.

One helper for every form: a handler catches the refusals a form answers (kept_forms.KEPT) and
returns `form_back(...)` with the page's builder; templates lay the fields out with the macros
of `_kept.html`, which read the `kept` this module puts in the page's context."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from repatria.domain.errors import Conflict
from repatria.entrypoints.web.kept import Kept
from repatria.entrypoints.web.kept_forms import WHOLE_FORM, reasons
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.typed_dates import example, parse_day
from repatria.i18n import gettext as _
from repatria.services.unit_of_work import UnitOfWork

Page = Callable[[], tuple[str, dict[str, Any]]]  # the page's template and its context


def form_back(
    request: Request,
    uow: UnitOfWork,
    refusal: Exception,
    *,
    form: str,
    typed: Mapping[str, str],
    page: Page,
    aliases: Mapping[str, str] | None = None,
    dates: tuple[str, ...] = (),
) -> HTMLResponse:
    """The page again, the refused form as typed and each reason beside its field: 422 for a
    field refused, 409 when the record moved on. Nothing of the refused change is stored.
    `dates` names the form's date fields: one typed so that it reads as no date is said so
    in the page's own words, with the way to write one."""
    uow.close()  # rolled back; the page is read again as it stands
    template, context = page()
    errors: dict[str, str] = {}
    for name, why in reasons(refusal, aliases or {}).items():
        if name in typed or name == WHOLE_FORM:
            errors[name] = why
        else:  # a field the form does not show: its reason goes at the top of the form
            errors[WHOLE_FORM] = "; ".join(filter(None, (errors.get(WHOLE_FORM), f"{name}: {why}")))
    for name in dates:
        text = typed.get(name) or ""
        if text.strip() and parse_day(text) is None:
            errors[name] = _("must be a date, such as %(example)s", example=example())
    context["kept"] = Kept(form, {k: v or "" for k, v in typed.items()}, errors)
    status = 409 if isinstance(refusal, Conflict) else 422
    return render(request, template, context, status_code=status)
