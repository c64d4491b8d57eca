"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

from repatria import __version__
from repatria.bootstrap import Container, build
from repatria.entrypoints.api import (
    allocation,
    amendments,
    assessments,
    audit,
    auth,
    case_facts,
    cases,
    consent,
    contracts,
    deadlines,
    errors,
    exchange,
    facilities,
    fear_claims,
    health,
    movements,
    notices,
    organisations,
    people,
    responses,
    savings,
    transitions,
    users,
)
from repatria.entrypoints.api.body_limit import BodyLimit
from repatria.entrypoints.web import install as install_web
from repatria.law.catalog import load_catalog
from repatria.services.exchange.delivery import DeliveryWorker

API_PREFIX = "/api/v1"


def create_app(container: Container | None = None) -> FastAPI:
    """Build the application; refuses to start on a database that is not migrated."""
    container = container or build()
    container.ensure_migrated()
    # The law data is read and checked now, not by the first request (a fifth of a second).
    load_catalog()

    @asynccontextmanager
    async def lifespan(served: FastAPI) -> AsyncIterator[None]:
        limit_threads(served.state.container.settings.threads)
        worker = _delivery_worker(container)
        yield
        if worker is not None:  # joined off the event loop
            await asyncio.to_thread(worker.stop)
        container.dispose()

    app = FastAPI(
        title="Repatria",
        version=__version__,
        summary="Lawful-by-construction international custody transfers",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.container = container
    app.add_middleware(BodyLimit, max_bytes=container.settings.max_body_bytes)
    errors.install(app)
    # deadlines before cases: /cases/overdue must not be read as /cases/{case_id}.
    routers = (
        health,
        auth,
        organisations,
        users,
        people,
        transitions,
        consent,
        case_facts,
        notices,
        fear_claims,
        deadlines,
        cases,
        assessments,
        amendments,
        movements,
        audit,
        exchange,
    )
    for module in routers:
        app.include_router(module.router, prefix=API_PREFIX)
    for module in (facilities, allocation, contracts, savings):  # docs/facilities.md
        app.include_router(module.router, prefix=API_PREFIX)
    responses.document(app.routes)  # the refusals each route's signature implies
    install_web(app)  # the browser pages (entrypoints/web), over the same services
    return app


def limit_threads(threads: int) -> None:
    """Run at most `threads` plain-`def` routes and dependencies at once in this event loop's
    thread pool (anyio's default limiter, which FastAPI uses; 40 unless told).

    Python runs one thread at a time: with forty ready, a request that could finish in a
    millisecond waits behind the others' turns, again after each statement it sends the
    database. Eight a worker doubled PostgreSQL's case reads and cut their p99 from 84 ms to
    26 ms (docs/decisions/0008-eight-threads-a-worker.md). No thread waits for a writer's
    turn that another thread of the same request holds: a turn is taken and given back in
    one hop to the pool, or given back by the unit of work's end, which FastAPI runs outside
    the limit."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads


def _delivery_worker(container: Container) -> DeliveryWorker | None:
    """The outbox's delivery thread, when this installation exchanges with peers."""
    settings = container.settings
    if not (settings.exchange_state and settings.exchange_worker):
        return None
    worker = DeliveryWorker(container.uow, settings)
    worker.start()
    return worker


def create_served_app(container: Container | None = None) -> FastAPI:
    """The application as `repatria serve` runs it in each worker process.

    Built, then the objects made in building it (the modules, the law catalog, the routes,
    some 280,000 of them) are frozen out of the cyclic garbage collector: otherwise each of
    its full collections walked them all again, about 0.1 s in which the worker did nothing
    else, several times a benchmark run, and the whole of it when it held SQLite's write
    lock (docs/architecture.md). A frozen object is still freed when its last reference goes;
    only a cycle among frozen objects would outlive its use.
    """
    app = create_app(container)
    gc.collect()
    gc.freeze()
    return app
