"""Turns domain errors and invalid requests into HTTP responses, in this one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from repatria.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAuthenticated,
    NotEligible,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from repatria.domain.lifecycle import TransitionNotAllowed
from repatria.entrypoints.api.idempotency import AnswerReplayed

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's lock_timeout ran out


def field_path(location: tuple[int | str, ...]) -> str:
    """A dotted field name from a Pydantic error location, without the 'body'/'query' prefix."""
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _invalid(errors: list[dict[str, str]]) -> JSONResponse:
    summary = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return JSONResponse(status_code=422, content={"detail": summary, "errors": errors})


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
            {"field": field_path(tuple(e.get("loc", ()))), "reason": str(e.get("msg", "invalid"))}
            for e in exc.errors()
        ]
        return _invalid(errors)

    @app.exception_handler(InvalidInput)
    async def _input_invalid(_: Request, exc: InvalidInput) -> JSONResponse:
        return _invalid([{"field": exc.field, "reason": exc.reason}])

    @app.exception_handler(NotEligible)
    async def _not_eligible(_: Request, exc: NotEligible) -> JSONResponse:
        content = {"detail": str(exc), "checks": exc.checks, "verdict": exc.assessment}
        return JSONResponse(status_code=409, content=content)

    @app.exception_handler(TransitionNotAllowed)
    async def _not_drawn(_: Request, exc: TransitionNotAllowed) -> JSONResponse:
        content = {"detail": str(exc), "citation": exc.citation or None}
        return JSONResponse(status_code=409, content=content)

    @app.exception_handler(TooManyAttempts)
    async def _throttled(_: Request, exc: TooManyAttempts) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after_s)}
        return JSONResponse(status_code=429, content={"detail": str(exc)}, headers=headers)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(status_code=status, content={"detail": str(exc)}, headers=headers)

    @app.exception_handler(AnswerReplayed)
    async def _replayed(_: Request, exc: AnswerReplayed) -> JSONResponse:
        headers = {"Idempotent-Replayed": "true"}
        return JSONResponse(exc.answer.body, status_code=exc.answer.status_code, headers=headers)

    @app.exception_handler(OperationalError)
    async def _busy(_: Request, exc: OperationalError) -> JSONResponse:
        # A writer waits only so long for a row another transaction holds (PostgreSQL's
        # lock_timeout, adapters/db/engine.py); anything else is the server's own fault.
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise exc
        detail = "another change to the same records is under way: nothing was written; retry"
        return JSONResponse(
            status_code=503, content={"detail": detail}, headers={"Retry-After": "1"}
        )
