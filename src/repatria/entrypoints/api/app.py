"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from repatria import __version__
from repatria.adapters.db.migrate import ensure_migrated
from repatria.bootstrap import Container, build
from repatria.entrypoints.api import audit, auth, cases, errors, health, organisations, people

API_PREFIX = "/api/v1"


def create_app(container: Container | None = None) -> FastAPI:
    """Build the application; refuses to start on a database that is not migrated."""
    container = container or build()
    ensure_migrated(container.engine)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        container.engine.dispose()

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
    errors.install(app)
    for module in (health, auth, organisations, people, cases, audit):
        app.include_router(module.router, prefix=API_PREFIX)
    return app
