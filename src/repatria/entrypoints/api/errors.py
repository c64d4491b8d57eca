"""Turns domain errors and invalid requests into HTTP responses, in this one place; each
body is an `ErrorOut`, the one error shape the API document promises (responses.py)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.utils import is_body_allowed_for_status_code
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from repatria import i18n
from repatria.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAuthenticated,
    NotEligible,
    NotFound,
    PermissionDenied,
    StorageBusy,
    TooManyAttempts,
)
from repatria.domain.lifecycle import TransitionNotAllowed
from repatria.entrypoints.api.idempotency import AnswerReplayed
from repatria.entrypoints.api.responses import ErrorOut, FieldError
from repatria.i18n import gettext


def field_path(location: tuple[int | str, ...]) -> str:
    """A dotted field name from a Pydantic error location, without the 'body'/'query' prefix."""
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def refusal(status: int, error: ErrorOut, headers: dict[str, str] | None = None) -> JSONResponse:
    """An error answer: the members the error was given, nothing more."""
    content = error.model_dump(mode="json", exclude_unset=True)
    return JSONResponse(status_code=status, content=content, headers=headers)


def _invalid(errors: list[FieldError]) -> JSONResponse:
    summary = "; ".join(f"{e.field}: {e.reason}" for e in errors)
    return refusal(422, ErrorOut(detail=summary, errors=errors))


def _reason(error: Any) -> str:
    """Why a field was refused: pydantic's words in English (as the API has always said),
    else in the language the request asks for (Accept-Language)."""
    if i18n.current_language() == "en":
        return str(error.get("msg", ""))
    # Here, not at the top: the web package imports this module as it starts.
    from repatria.entrypoints.web import form_errors

    return form_errors.reason(error)


def _worded(exc: DomainError) -> str:
    """A refusal's detail in the request's language where it has a fixed form; the domain's
    own words otherwise (they name records, fields and values)."""
    if i18n.current_language() == "en":
        return str(exc)
    if isinstance(exc, NotFound):
        from repatria.entrypoints.web.vocabulary import not_found  # see _reason

        return not_found(exc.kind, exc.key)
    if isinstance(exc, NotAuthenticated):
        return gettext(
            "not signed in: sign in, or send a valid API token as 'Authorization: Bearer …' "
            "(one unknown, expired or revoked, or of a disabled user, is refused)"
        )
    from repatria.entrypoints.web.vocabulary import said  # see _reason

    return said(exc)


def _step_refused(exc: NotEligible | TransitionNotAllowed) -> str:
    """A refused step in the request's language, as the error page says it (the checks and
    the citation beside it keep theirs); the domain's words in English."""
    if i18n.current_language() == "en":
        return str(exc)
    # Here, not at the top: the web package imports this module as it starts.
    from repatria.entrypoints.web.errors import problem_of

    problem = problem_of(exc)
    return problem.detail if problem else str(exc)


def methods_at(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves at this path."""
    found: set[str] = set()
    for route in app.routes:
        if isinstance(route, Route) and route.path_regex.match(path):
            found |= route.methods or set()
    return sorted(found)


async def http_refusal(request: Request, exc: HTTPException) -> Response:
    """An HTTPException under /api (no such path, a method the path lacks, a body too large or
    unreadable) as an ErrorOut. A 405's Allow names every method of the path: Starlette's
    names only those of the first route that matched it (GET and POST are two routes)."""
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(methods_at(request.app, request.url.path))
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=headers)
    return refusal(exc.status_code, ErrorOut(detail=str(exc.detail)), headers)


_STATUS: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (NotAuthenticated, 401),
    (PermissionDenied, 403),
    (Conflict, 409),
]


def install(app: FastAPI) -> None:
    """Register the handlers on the application."""

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError(field=field_path(tuple(e.get("loc", ()))), reason=_reason(e))
            for e in exc.errors()
        ]
        return _invalid(errors)

    @app.exception_handler(InvalidInput)
    async def _input_invalid(_: Request, exc: InvalidInput) -> JSONResponse:
        from repatria.entrypoints.web.vocabulary import refusal_words  # see _reason

        return _invalid([FieldError(field=exc.field, reason=exc.reason_said(refusal_words()))])

    @app.exception_handler(NotEligible)
    async def _not_eligible(_: Request, exc: NotEligible) -> JSONResponse:
        detail = _step_refused(exc)
        return refusal(409, ErrorOut(detail=detail, checks=exc.checks, verdict=exc.assessment))

    @app.exception_handler(TransitionNotAllowed)
    async def _not_drawn(_: Request, exc: TransitionNotAllowed) -> JSONResponse:
        return refusal(409, ErrorOut(detail=_step_refused(exc), citation=exc.citation or None))

    @app.exception_handler(TooManyAttempts)
    async def _throttled(_: Request, exc: TooManyAttempts) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after_s)}
        detail = str(exc)
        if i18n.current_language() != "en":
            wait = gettext("too many failed sign-ins: try again in %(n)s s", n=exc.retry_after_s)
            detail = wait
        return refusal(429, ErrorOut(detail=detail), headers)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return refusal(status, ErrorOut(detail=_worded(exc)), headers)

    @app.exception_handler(AnswerReplayed)
    async def _replayed(_: Request, exc: AnswerReplayed) -> JSONResponse:
        headers = {"Idempotent-Replayed": "true"}
        return JSONResponse(exc.answer.body, status_code=exc.answer.status_code, headers=headers)

    @app.exception_handler(StorageBusy)
    async def _busy(_: Request, exc: StorageBusy) -> JSONResponse:
        # A writer waits only so long for a row another transaction holds (PostgreSQL's
        # lock_timeout, adapters/db/engine.py; translated in adapters/db/conflicts.py).
        return refusal(503, ErrorOut(detail=exc.said()), {"Retry-After": "1"})
