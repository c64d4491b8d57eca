"""Request dependencies: the container, a unit of work and the authenticated principal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.domain.errors import NotAuthenticated
from repatria.services import accounts
from repatria.services.unit_of_work import UnitOfWork

SESSION_COOKIE = "repatria_session"
F = TypeVar("F")
R = TypeVar("R")
_bearer = HTTPBearer(auto_error=False, description="An API token from `repatria tokens create`")


async def get_container(request: Request) -> Container:
    """The application's container, set by create_app (async: it only reads an attribute, so
    it need not cost a hop to the thread pool on every request)."""
    container: Container = request.app.state.container
    return container


async def get_uow(
    request: Request, container: Annotated[Container, Depends(get_container)]
) -> AsyncIterator[UnitOfWork]:
    """One unit of work for the request, closed (and rolled back if uncommitted) afterwards.

    GET and HEAD only read, so they take a reading unit of work. A command's unit of work is
    made here on the event loop, without touching the database: it waits for its turn to
    write (WriterGate) in the command's own thread, when it first needs the database, so the
    request costs no hop to the thread pool just to wait or to open a session (each hop took
    about 0.3 ms on the benchmark host)."""
    if request.method in ("GET", "HEAD"):
        with container.uow(read_only=True) as uow:
            yield uow
        return
    with container.uow(gated=True) as uow:
        yield uow


async def get_read_uow(
    container: Annotated[Container, Depends(get_container)],
) -> AsyncIterator[UnitOfWork]:
    """A reading unit of work, run on the event loop (see get_principal): for `async def`
    endpoints that read a few rows by key. Anything that may wait (a command, a long listing
    or an export) uses `Uow` in a plain `def` endpoint, which FastAPI runs in the thread pool.
    """
    with container.uow(read_only=True) as uow:
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


async def get_principal(
    request: Request,
    reader: Annotated[UnitOfWork, Depends(get_read_uow)],
    raw: Annotated[str, Depends(get_token)],
) -> Principal:
    """The caller, from a bearer token or the session cookie; 401 without either.

    One indexed read in a reading transaction, on the event loop: under WAL on SQLite and
    MVCC on PostgreSQL it waits for no writer, and it saves the request hops to the thread
    pool. A read endpoint goes on in the same transaction; for any other request it ends
    here, so the command's own unit of work (on SQLite, the write lock) starts with its work.
    """
    principal = accounts.authenticate(reader, raw)
    if request.method not in ("GET", "HEAD"):
        reader.close()
    return principal


Uow = Annotated[UnitOfWork, Depends(get_uow)]
ReadUow = Annotated[UnitOfWork, Depends(get_read_uow)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
Token = Annotated[str, Depends(get_token)]
# Database ids are signed 64-bit integers; anything larger cannot name a record.
MAX_ID = 2**63 - 1
RecordId = Annotated[int, Path(ge=1, le=MAX_ID, description="record id")]
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")]


async def in_turn(
    uow: UnitOfWork, work: Callable[[F | None], R], foresee: Callable[[], F | None]
) -> R:
    """Run a command's work on the event loop, given what `foresee` worked out ahead of it.

    The unit takes its turn and begins its transaction without blocking the loop
    (UnitOfWork.begin_writing), and the work then runs on the loop itself. A process's
    writers go one at a time anyway (WriterGate), and in a worker thread the one at work
    shared the GIL with the process's other threads: on SQLite it burnt 2.2 ms of CPU a
    transition but held the write lock, which every writer of every process waits for, 3.7 ms
    (docs/architecture.md). A unit that has already begun (an Idempotency-Key looked up in
    its transaction) does its work in the thread pool, as before.
    """
    foreseen = foresee()
    if await uow.begin_writing():
        return work(foreseen)
    return await run_in_threadpool(work, foreseen)
