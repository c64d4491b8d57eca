"""Request dependencies: the container, a unit of work and the authenticated principal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.domain.errors import NotAuthenticated, PermissionDenied
from repatria.i18n import N_
from repatria.services import accounts
from repatria.services.unit_of_work import UnitOfWork

SESSION_COOKIE = "repatria_session"
_bearer = HTTPBearer(auto_error=False, description="An API token from `repatria tokens create`")


async def get_container(request: Request) -> Container:
    """The application's container, set by create_app (async: it only reads an attribute, so
    it need not cost a hop to the thread pool on every request)."""
    container: Container = request.app.state.container
    return container


def get_uow(
    request: Request, container: Annotated[Container, Depends(get_container)]
) -> Iterator[UnitOfWork]:
    """One unit of work for the request, closed (and rolled back if uncommitted) afterwards.

    GET and HEAD only read, so they take a reading unit of work. A command's unit of work
    waits for its turn to write (WriterGate) when it first touches the database. A plain
    generator: FastAPI runs it in its thread pool, so neither the turn nor the database is
    waited for on the event loop."""
    if request.method in ("GET", "HEAD"):
        with container.uow(read_only=True) as uow:
            yield uow
        return
    with container.uow(gated=True) as uow:
        yield uow


async def get_token(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The caller's raw token, from a bearer token or the session cookie; 401 without either.
    For a read endpoint that authenticates together with its read
    (accounts.authenticate_reading); every other endpoint takes `CurrentPrincipal`."""
    raw = bearer.credentials if bearer else request.cookies.get(SESSION_COOKIE)
    if not raw:
        raise NotAuthenticated("sign in, or send an API token as 'Authorization: Bearer …'")
    return raw


def get_principal(
    request: Request,
    container: Annotated[Container, Depends(get_container)],
    raw: Annotated[str, Depends(get_token)],
) -> Principal:
    """The caller, from a bearer token or the session cookie; 401 without either, and 403 for
    a read-only token asking for anything but a read (before its body is read; the unit of
    work refuses any change of such a caller too).

    One indexed read in a reading unit of work of its own (FastAPI runs this in its thread
    pool), ended before the request's own work begins: on SQLite a command's write lock
    starts with its work."""
    with container.uow(read_only=True) as reader:
        principal = accounts.authenticate(reader, raw)
    if principal.read_only and request.method not in ("GET", "HEAD"):
        raise PermissionDenied(N_("this API token is read-only: it may change nothing"))
    return principal


Uow = Annotated[UnitOfWork, Depends(get_uow)]
AppContainer = Annotated[Container, Depends(get_container)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
Token = Annotated[str, Depends(get_token)]
# Database ids are signed 64-bit integers; anything larger cannot name a record.
MAX_ID = 2**63 - 1
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="record id")]
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]
