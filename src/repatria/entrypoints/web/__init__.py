"""The web interface: server-rendered pages over the same services as the API.

`install(app)` adds the pages to the FastAPI application built by `create_app`; forms work
without JavaScript, and htmx (from its package) only spares some full page loads.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException
from starlette.responses import Response

from repatria.entrypoints.web import (
    account,
    admin,
    assessments,
    auth,
    case_actions,
    cases,
    dashboard,
    documents,
    facilities,
    law,
    movements,
    people,
    record,
    static_files,
    statistics,
)
from repatria.entrypoints.web.errors import status_page
from repatria.entrypoints.web.security import CSRF_COOKIE, apply_headers, new_seed, usable_seed

ROUTERS = (
    auth,
    dashboard,
    cases,
    case_actions,
    people,
    movements,
    law,
    record,
    documents,
    facilities,
    statistics,
    account,
    assessments,
    admin,
    static_files,
)


def install(app: FastAPI) -> None:
    """Add the web pages to the application, and HTML pages for unknown addresses."""
    for module in ROUTERS:
        app.include_router(module.router)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        # The API keeps its JSON answers; a browser gets a page that says what to do.
        if request.url.path.startswith("/api") or exc.status_code not in (404, 405):
            return await http_exception_handler(request, exc)
        request.state.csrf_seed = usable_seed(request.cookies.get(CSRF_COOKIE)) or new_seed()
        return apply_headers(status_page(request, exc.status_code, str(exc.detail)))
