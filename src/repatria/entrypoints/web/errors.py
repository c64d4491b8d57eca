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
)
from repatria.domain.lifecycle import TransitionNotAllowed
from repatria.entrypoints.api.errors import field_path
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.security import safe_next
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
    403: "Your role or your state may not do this. Ask a colleague who may, or go back.",
    404: "It does not exist, or it is outside your state's cases. Check the reference "
    "or go back to the list.",
    409: "The record has moved on or the law does not allow this step now. Reload the page "
    "to see the current state, then decide again.",
    413: "Send a smaller form or file; nothing was changed.",
    422: "Correct the fields named below and send the form again.",
    500: "Go back and try again; if it happens again, tell the operator when it happened.",
    503: "The law data could not be loaded. Tell the operator; nothing was changed.",
}


def _in_address(exc: RequestValidationError) -> bool:
    return all(tuple(e.get("loc", ()))[:1] == ("path",) for e in exc.errors())


def problem_of(exc: Exception) -> Problem | None:
    """The page for an exception, or None if it is not one we explain."""
    if isinstance(exc, FormExpired):
        return Problem(
            403,
            "The form expired",
            "The form was sent without a valid security token (it may be from an old page "
            "or another site).",
            "Go back, reload the page and send the form again.",
        )
    if isinstance(exc, NotFound):
        return Problem(404, "Not found", str(exc), ADVICE[404])
    if isinstance(exc, PermissionDenied):
        return Problem(403, "Not allowed", str(exc), ADVICE[403])
    if isinstance(exc, NotEligible):
        return Problem(409, "Refused by the legal engine", str(exc), ADVICE[409], checks=exc.checks)
    if isinstance(exc, TransitionNotAllowed):
        return Problem(409, "Not possible now", str(exc), ADVICE[409], citation=exc.citation)
    if isinstance(exc, InvalidInput):
        return Problem(422, "Check the form", str(exc), ADVICE[422], [(exc.field, exc.reason)])
    if isinstance(exc, RequestValidationError) and _in_address(exc):
        # An id out of range or not a number names no record, as an unknown address does.
        return Problem(404, "Not found", "The address names no record.", ADVICE[404])
    if isinstance(exc, RequestValidationError | ValidationError):
        fields = [
            (field_path(tuple(e.get("loc", ()))), str(e.get("msg", "invalid")))
            for e in exc.errors()
        ]
        return Problem(422, "Check the form", "Some fields are not valid.", ADVICE[422], fields)
    if isinstance(exc, Conflict | DomainError):
        return Problem(409, "Conflict", str(exc), ADVICE[409])
    if isinstance(exc, LawDataError):
        return Problem(503, "Law data unavailable", str(exc), ADVICE[503])
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
    titles = {
        400: "Bad request",
        404: "Not found",
        405: "Not allowed here",
        413: "Too large",
        500: "Something went wrong",
    }
    advice = ADVICE.get(status, "Go back and try again.")
    problem = Problem(status, titles.get(status, f"Error {status}"), detail, advice)
    return error_page(request, problem)
