"""What a refused or failed request shows in the browser: one clear page per kind of error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from repatria.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotEligible,
    NotFound,
    PermissionDenied,
    StorageBusy,
)
from repatria.domain.lifecycle import TransitionNotAllowed
from repatria.entrypoints.api.errors import field_path
from repatria.entrypoints.web import form_errors
from repatria.entrypoints.web.plain_words import grounds_in_words
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.security import safe_next
from repatria.entrypoints.web.vocabulary import not_found, refusal_words, said, words
from repatria.i18n import N_, current_language
from repatria.i18n import gettext as _
from repatria.law.errors import LawDataError


class LoginRequired(Exception):
    """The page needs a signed-in user; the browser is sent to the login page."""


class FormExpired(Exception):
    """A form arrived without the CSRF token this browser was given."""


@dataclass
class Problem:
    """What the error page says: status, a title, what happened and what to do next."""

    status: int
    title: str
    detail: str
    advice: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    citation: str = ""


ADVICE = {
    403: N_("Your role or your state may not do this. Ask a colleague who may, or go back."),
    404: N_(
        "It does not exist, or it is outside your state's cases. Check the reference "
        "or go back to the list."
    ),
    409: N_(
        "The record has moved on or the law does not allow this step now. Reload the page "
        "to see the current state, then decide again."
    ),
    413: N_("Send a smaller form or file; nothing was changed."),
    422: N_("Correct the fields named below and send the form again."),
    500: N_("Go back and try again; if it happens again, tell the operator when it happened."),
    503: N_("The law data could not be loaded. Tell the operator; nothing was changed."),
}
# Starlette's own details for a plain status, as the page shows them.
STATUS_DETAILS = {
    "Not Found": N_("Nothing is at this address."),
    "Method Not Allowed": N_("This address does not take that kind of request."),
    "Bad Request": N_("The request could not be read."),
}
TITLES = {
    400: N_("Bad request"),
    404: N_("Not found"),
    405: N_("Not allowed here"),
    413: N_("Too large"),
    500: N_("Something went wrong"),
}


def _advice(status: int) -> str:
    return _(ADVICE[status]) if status in ADVICE else _("Go back and try again.")


def _in_address(exc: RequestValidationError) -> bool:
    return all(tuple(e.get("loc", ()))[:1] == ("path",) for e in exc.errors())


def problem_of(exc: Exception) -> Problem | None:
    """The page for an exception, or None if it is not one we explain."""
    if isinstance(exc, FormExpired):
        return Problem(
            403,
            _("The form expired"),
            _(
                "The form was sent without a valid security token (it may be from an old "
                "page or another site)."
            ),
            _("Go back, reload the page and send the form again."),
        )
    if isinstance(exc, NotFound):
        detail = str(exc) if current_language() == "en" else not_found(exc.kind, exc.key)
        return Problem(404, _("Not found"), detail, _advice(404))
    if isinstance(exc, PermissionDenied):
        return Problem(403, _("Not allowed"), said(exc), _advice(403))
    if isinstance(exc, NotEligible):
        title = _("Refused by the legal engine")
        detail = str(exc)
        if current_language() != "en":  # the checks below it give each reason
            grounds = sorted({str(check["ground"]) for check in exc.checks})
            detail = _(
                "%(step)s is refused by the legal engine: %(grounds)s",
                step=words(exc.command),
                grounds=grounds_in_words(grounds),
            )
        return Problem(409, title, detail, _advice(409), checks=exc.checks)
    if isinstance(exc, TransitionNotAllowed):
        title = _("Not possible now")
        detail = str(exc)
        if current_language() != "en":  # the citation is shown beside it, as cited
            step, stage = words(exc.command), words(exc.state)
            detail = _("%(step)s is not possible from %(stage)s", step=step, stage=stage)
        return Problem(409, title, detail, _advice(409), citation=exc.citation)
    if isinstance(exc, InvalidInput):
        fields = [(exc.field, exc.reason_said(refusal_words()))]
        return Problem(422, _("Check the form"), said(exc), _advice(422), fields)
    if isinstance(exc, RequestValidationError) and _in_address(exc):
        # An id out of range or not a number names no record, as an unknown address does.
        return Problem(404, _("Not found"), _("The address names no record."), _advice(404))
    if isinstance(exc, RequestValidationError | ValidationError):
        fields = [
            (field_path(tuple(e.get("loc", ()))), form_errors.reason(e)) for e in exc.errors()
        ]
        detail = _("Some fields are not valid.")
        return Problem(422, _("Check the form"), detail, _advice(422), fields)
    if isinstance(exc, StorageBusy):  # a row held by another change past the lock timeout
        return Problem(503, _("Try again in a moment"), said(exc), _("Go back and try again."))
    if isinstance(exc, Conflict | DomainError):
        return Problem(409, _("Conflict"), said(exc), _advice(409))
    if isinstance(exc, LawDataError):
        return Problem(503, _("Law data unavailable"), str(exc), _advice(503))
    return None


def back_link(request: Request) -> str:
    """Where "Go back" leads: the referring page if it is a path on this site, else home."""
    referer = urlsplit(request.headers.get("referer", ""))
    if (referer.scheme, referer.netloc) != (request.url.scheme, request.url.netloc):
        return "/"
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    return safe_next(path, default="/")


def error_page(request: Request, problem: Problem) -> HTMLResponse:
    """Render the error page for a problem, with its HTTP status."""
    return render(
        request, "error.html", {"problem": problem, "back": back_link(request)}, problem.status
    )


def status_page(request: Request, status: int, detail: str) -> HTMLResponse:
    """The page for a plain HTTP status (an unknown address, a wrong method)."""
    title = _(TITLES[status]) if status in TITLES else _("Error %(status)s", status=status)
    detail = _(STATUS_DETAILS[detail]) if detail in STATUS_DETAILS else detail
    problem = Problem(status, title, detail, _advice(status))
    return error_page(request, problem)
