"""The web pages' route class: CSRF on every form, error pages, security headers."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import security
from repatria.entrypoints.web.errors import (
    FormExpired,
    LoginRequired,
    error_page,
    problem_of,
)

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


async def _check_csrf(request: Request) -> None:
    form = await request.form()  # parsed once; the endpoint's Form() fields reuse it
    secret = request.app.state.container.settings.secret_key
    seed = security.usable_seed(request.cookies.get(security.CSRF_COOKIE))
    session = request.cookies.get(SESSION_COOKIE)
    if not security.csrf_valid(secret, seed, session, form.get(security.CSRF_FIELD)):
        raise FormExpired


class WebRoute(APIRoute):
    """Every page: a CSRF seed cookie, CSRF checked on POST, errors as pages, safe headers."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            seed = security.usable_seed(request.cookies.get(security.CSRF_COOKIE))
            request.state.csrf_seed = seed or security.new_seed()
            try:
                if request.method == "POST":
                    await _check_csrf(request)
                response = await handler(request)
            except LoginRequired:
                target = quote(request.url.path, safe="/")
                response = RedirectResponse(f"/login?next={target}", status_code=303)
            except Exception as exc:
                problem = problem_of(exc)
                if problem is None:
                    raise
                response = error_page(request, problem)
            # A response others may cache (public statistics, static files) sets no cookie.
            public = response.headers.get("cache-control", "").startswith("public")
            if seed is None and not public:
                security.set_cookie(
                    response, security.CSRF_COOKIE, request.state.csrf_seed, 7 * 24 * 3600
                )
            return security.apply_headers(response)

        return page


def web_router() -> APIRouter:
    """A router whose routes are pages (kept out of the API's OpenAPI document)."""
    return APIRouter(route_class=WebRoute, include_in_schema=False)
