"""The user's account: who they are, their API tokens, their password and sessions (and
their security keys: security_keys.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from repatria.entrypoints.api.auth import client_address
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import security
from repatria.entrypoints.web.deps import (
    AppContainer,
    MaybeUser,
    RecordId,
    Uow,
    User,
    signed_in,
)
from repatria.entrypoints.web.forms import Short
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.second_factor import elsewhere
from repatria.i18n import N_
from repatria.i18n import gettext as _
from repatria.services import accounts, recovery_codes, security_keys, users
from repatria.services import login as signing_in
from repatria.services.passwords import MIN_LENGTH

router = web_router()
MAX_TOKEN_DAYS = 366
Password = Annotated[str, Form(max_length=200)]
LABELS = {
    "username": N_("Username"),
    "current_password": N_("Current password"),
    "new_password": N_("New password"),
    "new_password_again": N_("New password again"),
}


def account_page(
    request: Request,
    uow: Uow,
    principal: User,
    new_token: str = "",
    *,
    new_codes: list[str] | None = None,
    key_error: str = "",
    status: int = 200,
) -> Response:
    """The account page; a new token or new recovery codes are shown on it once."""
    template, context = _account_context(request, uow, principal, new_token, new_codes, key_error)
    return render(request, template, context, status)


def _account_context(
    request: Request,
    uow: Uow,
    principal: User,
    new_token: str = "",
    new_codes: list[str] | None = None,
    key_error: str = "",
) -> tuple[str, dict[str, Any]]:
    assert principal.user_id is not None
    context = {
        "tokens": accounts.list_own_tokens(uow, principal),
        "new_token": new_token,
        "keys": security_keys.list_keys(uow, principal.user_id),
        "codes_left": recovery_codes.remaining(uow, principal.user_id),
        "new_codes": new_codes or [],
        "key_error": key_error,
        "elsewhere": elsewhere(request, request.app.state.container.settings),
    }
    return "account/index.html", context


@router.get("/account")
def account(request: Request, uow: Uow, principal: User) -> Response:
    """The user's details, API tokens and security keys."""
    return account_page(request, uow, principal)


@router.post("/account/tokens")
def create_token(
    request: Request,
    uow: Uow,
    principal: User,
    container: AppContainer,
    name: Short,
    days: Short = "30",
    read_only: Short = "",
) -> Response:
    """Issue an API token; it is shown once, on this page, and never again. Refused, the form
    comes back as typed, the reason beside its field."""
    typed = {"name": name, "days": days, "read_only": read_only}
    try:
        if not days.strip().isdigit() or not 1 <= int(days) <= MAX_TOKEN_DAYS:
            raise InvalidInput("days", N_("must be a whole number from 1 to 366"))
        _, raw = accounts.issue_api_token(
            uow,
            principal,
            principal.username,
            name.strip(),
            int(days),
            read_only=read_only == "yes",
        )
    except KEPT as refused:
        page = lambda: _account_context(request, uow, principal)  # noqa: E731
        return form_back(request, uow, refused, form="token", typed=typed, page=page)
    uow.commit()
    return account_page(request, uow, principal, raw)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: RecordId, uow: Uow, principal: User) -> Response:
    """Revoke one of the user's tokens."""
    accounts.revoke_credential(uow, principal, token_id)
    uow.commit()
    return account_page(request, uow, principal)


def _password_page(
    request: Request,
    username: str,
    *,
    reset: bool = False,
    field: str = "",
    reason: str = "",
    status: int = 200,
) -> Response:
    # The username is kept; passwords never go back to the browser.
    label = _(LABELS[field]) if field in LABELS else field
    error = _("%(field)s: %(reason)s", field=label, reason=reason) if field else reason
    context = {
        "username": username,
        "reset": reset,
        "error": error,
        "fields": {field: reason} if field else {},
        "min_length": MIN_LENGTH,
    }
    return render(request, "account/password.html", context, status)


@router.get("/account/password")
def password_form(
    request: Request,
    principal: MaybeUser,
    username: Annotated[str, Query(max_length=100)] = "",
    reset: bool = False,
) -> Response:
    """The form to change one's password: from the account page, or after signing in with
    an administrator's one-time password (no session is opened until it is changed)."""
    return _password_page(request, principal.username if principal else username, reset=reset)


@router.post("/account/password")
def change_password(
    request: Request,
    container: AppContainer,
    username: Annotated[str, Form(max_length=100)],
    current_password: Password,
    new_password: Password,
    new_password_again: Password,
) -> Response:
    """Set a new password, the current (or one-time) one required, as POST
    /api/v1/auth/password: the password is the credential, so no session is needed, and a
    wrong one counts as a failed sign-in. Every session and token of the user ends.

    Its own units of work, not the page's, as signing in: the password is checked outside
    any writer's turn (services/login.py)."""
    with container.uow(read_only=True) as reader:
        principal = signed_in(request, reader)  # a signed-in user changes their own
    name = principal.username if principal else username.strip()
    if new_password != new_password_again:
        reason = _("does not match the new password")
        return _password_page(request, name, field="new_password_again", reason=reason, status=422)
    try:
        with container.uow(gated=True) as uow:
            signing_in.change_password(
                uow, name, current_password, new_password, client_address(request)
            )
    except InvalidInput as exc:
        return _password_page(request, name, field=exc.field, reason=exc.reason_said(), status=422)
    except NotAuthenticated:
        reason = _("is wrong (or the username is)")
        return _password_page(request, name, field="current_password", reason=reason, status=401)
    except TooManyAttempts as exc:
        wait = _("Too many failed attempts: try again in %(n)s s.", n=exc.retry_after_s)
        page = _password_page(request, name, reason=wait, status=429)
        page.headers["Retry-After"] = str(exc.retry_after_s)
        return page
    return _signed_out("password")


@router.post("/account/sign-out-everywhere")
def sign_out_everywhere(uow: Uow, principal: User) -> Response:
    """End every session and API token of the user, this one included (as POST
    /api/v1/auth/logout-everywhere)."""
    users.sign_out_everywhere(uow, principal)
    uow.commit()
    return _signed_out("everywhere")


def _signed_out(done: str) -> Response:
    # To the login page, which says what happened; the cookie names a session that has ended.
    response = RedirectResponse(f"/login?done={done}", status_code=303)
    security.clear_cookie(response, SESSION_COOKIE)
    return response
