"""Signing in and out of the web interface."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from repatria.bootstrap import Container
from repatria.domain.errors import (
    NotAuthenticated,
    PasswordChangeRequired,
    PasswordsSwitchedOff,
    SecurityKeyRequired,
    TooManyAttempts,
)
from repatria.entrypoints.api.auth import client_address
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import second_factor, security
from repatria.entrypoints.web.deps import AppContainer, MaybeUser, Uow
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.i18n import N_, gettext
from repatria.services import login as signing_in
from repatria.services import oidc_providers, views

router = web_router()
# What the login page says after the account page sent the user to it (?done=…).
NOTICES = {
    "password": N_(
        "Your password was changed and every session of yours ended: sign in with the new one."
    ),
    "everywhere": N_("Every session and API token of yours has ended."),
    "expired": N_("That sign-in ended before the security key answered: sign in again."),
}


@router.get("/")
def home(principal: MaybeUser) -> Response:
    """The dashboard when signed in, otherwise the login page."""
    return RedirectResponse("/dashboard" if principal else "/login", status_code=303)


def _login_page(
    request: Request, uow: Uow, container: AppContainer, error: str = "", status: int = 200
) -> Response:
    demo = [] if container.settings.env == "production" else views.demo_logins(uow)
    return _render_login(request, container, demo, error, status)


def refused_login_page(request: Request, container: Container, error: str, status: int) -> Response:
    """The login page saying why a sign-in was refused (one through a provider, too)."""
    with container.uow(read_only=True) as reader:
        demo = [] if container.settings.env == "production" else views.demo_logins(reader)
    return _render_login(request, container, demo, error, status)


def _render_login(
    request: Request, container: Container, demo: object, error: str, status: int
) -> Response:
    providers = oidc_providers.load(container.settings.oidc_file)
    done = request.query_params.get("done", "")
    context = {
        "providers": sorted(providers.values(), key=lambda provider: provider.label),
        "error": error,
        "notice": gettext(NOTICES[done]) if done in NOTICES else "",
        "next": security.safe_next(request.query_params.get("next")),
        "demo_users": demo,
        "demo_password": views.DEMO_PASSWORD,
    }
    return render(request, "auth/login.html", context, status)


@router.get("/login")
def login_form(request: Request, uow: Uow, container: AppContainer) -> Response:
    """The login form (listing the demo users when the demo data is loaded)."""
    return _login_page(request, uow, container)


@router.post("/login")
def login(
    request: Request,
    container: AppContainer,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    next_page: Annotated[str, Form(alias="next", max_length=500)] = "/dashboard",
) -> Response:
    """Check the password; on success set the session cookie and go on.

    Its own units of work, not the page's: the password is checked outside any writer's
    turn (services/login.py)."""
    hours = container.settings.session_hours
    address = client_address(request)
    try:
        with container.uow(gated=True) as uow:
            _, raw = signing_in.login(
                uow,
                username.strip(),
                password,
                address,
                hours,
                passwords_off=oidc_providers.passwords_off(container.settings.oidc_file),
                key_roles=container.settings.require_security_key_roles,
            )
    except SecurityKeyRequired as exc:
        # The password was right; no session until the key answers (second_factor.py).
        return second_factor.start(exc.pending, security.safe_next(next_page))
    except (NotAuthenticated, PasswordChangeRequired, TooManyAttempts) as exc:
        with container.uow(read_only=True) as reader:
            demo = [] if container.settings.env == "production" else views.demo_logins(reader)
        if isinstance(exc, TooManyAttempts):
            wait = gettext("Too many failed sign-ins: try again in %(n)s s.", n=exc.retry_after_s)
            page = _render_login(request, container, demo, wait, 429)
            page.headers["Retry-After"] = str(exc.retry_after_s)
            return page
        if isinstance(exc, PasswordChangeRequired):
            # The one-time password was right; no session opens until a new one is set.
            query = urlencode({"username": username.strip(), "reset": "true"})
            return RedirectResponse(f"/account/password?{query}", status_code=303)
        if isinstance(exc, PasswordsSwitchedOff):
            off = gettext(
                "Your organisation signs in through its identity provider: use its button below."
            )
            return _render_login(request, container, demo, off, 403)
        wrong = gettext("Wrong username or password.")
        return _render_login(request, container, demo, wrong, 401)
    response = RedirectResponse(security.safe_next(next_page), status_code=303)
    security.set_cookie(response, SESSION_COOKIE, raw, hours * 3600)
    return response
