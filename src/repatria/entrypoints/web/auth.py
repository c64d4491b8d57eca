"""Signing in and out of the web interface."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.errors import NotAuthenticated
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import queries, security
from repatria.entrypoints.web.deps import AppContainer, MaybeUser, Uow
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services import accounts

router = web_router()


@router.get("/")
def home(principal: MaybeUser) -> Response:
    """The dashboard when signed in, otherwise the login page."""
    return RedirectResponse("/dashboard" if principal else "/login", status_code=303)


def _login_page(
    request: Request, uow: Uow, container: AppContainer, error: str = "", status: int = 200
) -> Response:
    demo = [] if container.settings.env == "production" else queries.demo_logins(uow)
    context = {
        "error": error,
        "next": security.safe_next(request.query_params.get("next")),
        "demo_users": demo,
        "demo_password": queries.DEMO_PASSWORD,
    }
    return render(request, "auth/login.html", context, status)


@router.get("/login")
def login_form(request: Request, uow: Uow, container: AppContainer) -> Response:
    """The login form (listing the demo users when the demo data is loaded)."""
    return _login_page(request, uow, container)


@router.post("/login")
def login(
    request: Request,
    uow: Uow,
    container: AppContainer,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    next_page: Annotated[str, Form(alias="next", max_length=500)] = "/dashboard",
) -> Response:
    """Check the password; on success set the session cookie and go on."""
    hours = container.settings.session_hours
    try:
        _, raw = accounts.login(uow, username.strip(), password, hours)
    except NotAuthenticated:
        return _login_page(request, uow, container, "Wrong username or password.", 401)
    uow.commit()
    response = RedirectResponse(security.safe_next(next_page), status_code=303)
    security.set_cookie(response, SESSION_COOKIE, raw, hours * 3600)
    return response


@router.post("/logout")
def logout(request: Request, uow: Uow) -> Response:
    """End the session on the server and clear the cookie."""
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        accounts.revoke_raw_token(uow, raw)
        uow.commit()
    response = RedirectResponse("/login", status_code=303)
    security.clear_cookie(response, SESSION_COOKIE)
    return response
