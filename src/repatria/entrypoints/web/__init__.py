"""The web interface: server-rendered pages over the same services as the API.

`install(app)` adds the pages to the FastAPI application built by `create_app`; forms work
without JavaScript, and htmx (from its package) only spares some full page loads.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response

from repatria.entrypoints.api.errors import http_refusal
from repatria.entrypoints.web import (
    account,
    admin,
    amendments,
    assessments,
    auth,
    case_facts,
    cases,
    consent,
    dashboard,
    documents,
    facilities,
    fear_claims,
    invoices,
    languages,
    law,
    movements,
    notices,
    oidc,
    peers,
    people,
    record,
    search,
    second_factor,
    security_keys,
    sign_out,
    static_files,
    statistics,
    transitions,
    users,
)
from repatria.entrypoints.web.errors import status_page
from repatria.entrypoints.web.security import CSRF_COOKIE, apply_headers, new_seed, usable_seed
from repatria.i18n import gettext as _

ROUTERS = (
    auth,
    second_factor,
    oidc,
    sign_out,
    dashboard,
    cases,
    transitions,
    consent,
    case_facts,
    notices,
    fear_claims,
    people,
    search,
    peers,
    movements,
    amendments,  # before law: /law/amendments is not an authority's page
    law,
    record,
    documents,
    facilities,
    invoices,
    statistics,
    account,
    security_keys,
    assessments,
    admin,
    users,
    languages,
    static_files,
)


def install(app: FastAPI) -> None:
    """Add the web pages to the application, and HTML error pages outside the API."""
    for module in ROUTERS:
        app.include_router(module.router)
    # Sign-ins through a provider in progress (their state, nonce and PKCE verifier).
    app.add_middleware(oidc.OidcSession, secret_key=app.state.container.settings.secret_key)
    oidc.providers(app.state.container)  # a providers file in error refuses to start, naming it
    # Outermost, so error pages and the API's refusals are in the reader's language too.
    app.add_middleware(languages.ReaderLanguage)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        # The API keeps its JSON answers; a browser gets a page that says what to do.
        if _in_api(request):
            return await http_refusal(request, exc)
        return _page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> Response:
        # Starlette still logs the exception and raises it again after this answer.
        if _in_api(request):
            return PlainTextResponse("Internal Server Error", status_code=500)
        return _page(request, 500, _("The server failed to answer this request."))


def _in_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _page(request: Request, status: int, detail: str) -> Response:
    """An error page outside a page's route, with the headers every page carries."""
    request.state.csrf_seed = usable_seed(request.cookies.get(CSRF_COOKIE)) or new_seed()
    return apply_headers(status_page(request, status, detail))
