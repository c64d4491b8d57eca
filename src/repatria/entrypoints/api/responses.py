"""What the API document promises a refusal looks like, and which refusals each route may give.

Every error answer has one body, `ErrorOut` (errors.py makes each one from it). A route's
mechanical refusals follow from its signature and are added by `document`: 401 where it needs
credentials, 404 where its path names a record, 422 where it takes input, 400 and 413 where it
takes a body, and 409 and 503 where it writes. What depends on the law or the role (403, 429,
a 404 or 409 a read may give) is stated on the route with the kinds below, each defined once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.utils import create_model_field
from pydantic import BaseModel, Field
from starlette.routing import BaseRoute

from repatria.entrypoints.api.deps import get_token


class FieldError(BaseModel):
    """One refused field and why."""

    field: str = Field(description="dotted name of the field or parameter ('body': the whole)")
    reason: str


class ErrorOut(BaseModel):
    """The body of every refusal: `detail` always, the other members when they apply."""

    detail: str = Field(description="what was refused and why, for a person to read")
    errors: list[FieldError] | None = Field(None, description="422: each field refused")
    checks: list[dict[str, Any]] | None = Field(
        None, description="409 from the legal engine: the failing checks, with citations"
    )
    verdict: dict[str, Any] | None = Field(
        None, description="409 from the legal engine: the whole assessment"
    )
    citation: str | None = Field(
        None, description="409 for a lifecycle step not allowed: the provision that says so"
    )


Responses = dict[int | str, dict[str, Any]]


def _refusal(description: str, **headers: str) -> dict[str, Any]:
    answer: dict[str, Any] = {"model": ErrorOut, "description": description}
    if headers:
        answer["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return answer


UNREADABLE: Responses = {400: _refusal("The body could not be read as JSON text (UTF-8)")}
UNAUTHENTICATED: Responses = {
    401: _refusal(
        "No credentials, or a token or session unknown, expired or revoked",
        **{"WWW-Authenticate": "Bearer"},
    )
}
FORBIDDEN: Responses = {403: _refusal("The caller's role or state may not do this")}
NOT_FOUND: Responses = {
    404: _refusal("No such record, or one outside the caller's state (existence does not leak)")
}
CONFLICT: Responses = {
    409: _refusal(
        "Refused by the law, the record's state or a change made meanwhile; nothing was written"
    )
}
TOO_LARGE: Responses = {413: _refusal("The request body is larger than the server accepts")}
INVALID: Responses = {422: _refusal("A parameter or field is not acceptable; `errors` names each")}
THROTTLED: Responses = {
    429: _refusal("Too many failed sign-ins", **{"Retry-After": "seconds to wait"})
}
BUSY: Responses = {
    503: _refusal(
        "Another change holds the same records (PostgreSQL); nothing was written: retry",
        **{"Retry-After": "seconds to wait"},
    )
}
CSV: Responses = {
    200: {"description": "A CSV file", "content": {"text/csv": {"schema": {"type": "string"}}}}
}


def refusals(*kinds: Responses) -> Responses:
    """The union of several kinds of answer, for a route's `responses=`."""
    merged: Responses = {}
    for kind in kinds:
        merged.update(kind)
    return merged


def _needs_credentials(dependant: Dependant) -> bool:
    return any(d.call is get_token or _needs_credentials(d) for d in dependant.dependencies)


def _params(dependant: Dependant) -> tuple[bool, bool, bool]:
    """Whether the dependant, or one it depends on, takes path parameters, other input, a body."""
    path = bool(dependant.path_params)
    other = bool(dependant.query_params or dependant.header_params or dependant.cookie_params)
    body = bool(dependant.body_params)
    for sub in dependant.dependencies:
        sub_path, sub_other, sub_body = _params(sub)
        path, other, body = path or sub_path, other or sub_other, body or sub_body
    return path, other, body


def mechanical(route: APIRoute) -> Responses:
    """The refusals a route may give because of what it takes and whether it writes."""
    path, other, body = _params(route.dependant)
    writes = bool(route.methods - {"GET", "HEAD"})
    credentials = _needs_credentials(route.dependant)
    kinds = [
        UNREADABLE if body else {},
        UNAUTHENTICATED if credentials else {},
        FORBIDDEN if credentials and writes else {},  # at the least, a read-only token
        NOT_FOUND if path else {},
        CONFLICT if writes else {},
        TOO_LARGE if body else {},
        INVALID if path or other or body else {},
        BUSY if writes else {},
    ]
    return refusals(*kinds)


def document(routes: Iterable[BaseRoute]) -> None:
    """Add each API route's mechanical refusals to what it documents (what the route states
    itself stays as stated)."""
    for route in routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        added = {code: r for code, r in mechanical(route).items() if code not in route.responses}
        route.responses = {**route.responses, **added}
        for code in added:
            route.response_fields[code] = create_model_field(
                name=f"Response_{code}_{route.unique_id}", type_=ErrorOut, mode="serialization"
            )
