"""Login, logout, who am I, and API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from repatria.bootstrap import Container
from repatria.domain.accounts import User
from repatria.entrypoints.api.deps import (
    SESSION_COOKIE,
    CurrentPrincipal,
    RecordId,
    Uow,
    get_container,
)
from repatria.entrypoints.api.responses import (
    FORBIDDEN,
    THROTTLED,
    UNAUTHENTICATED,
    refusals,
)
from repatria.entrypoints.api.schemas import (
    ChangePasswordIn,
    LoginIn,
    NewTokenIn,
    NewTokenOut,
    TokenOut,
    UserOut,
)
from repatria.services import accounts, oidc_providers, users
from repatria.services import login as signing_in

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/login",
    response_model=UserOut,
    summary="Sign in and get a session cookie",
    responses=refusals(UNAUTHENTICATED, FORBIDDEN, THROTTLED),
)
def login(
    body: LoginIn,
    request: Request,
    response: Response,
    uow: Uow,
    container: Annotated[Container, Depends(get_container)],
) -> User:
    """Check the password and set a secure, HTTP-only session cookie; after repeated
    failures for the account or from the address, 429 with Retry-After."""
    hours = container.settings.session_hours
    passwords_off = oidc_providers.passwords_off(container.settings.oidc_file)
    user, raw = signing_in.login(
        uow,
        body.username,
        body.password,
        client_address(request),
        hours,
        passwords_off=passwords_off,
        key_roles=container.settings.require_security_key_roles,
        presents_key=False,  # a security key is presented in the browser only
    )
    response.set_cookie(
        SESSION_COOKIE, raw, max_age=hours * 3600, httponly=True, secure=True, samesite="lax"
    )
    return user


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, summary="End the session")
def logout(request: Request, response: Response, uow: Uow) -> None:
    """Revoke the session behind the cookie and clear it."""
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        accounts.revoke_raw_token(uow, raw)
        uow.commit()
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=True, samesite="lax")


@router.post(
    "/auth/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change one's password",
    responses=refusals(UNAUTHENTICATED, THROTTLED),
)
def change_password(body: ChangePasswordIn, request: Request, response: Response, uow: Uow) -> None:
    """Set a new password, the current (or one-time) one required; throttled like signing
    in. Every session and token of the user ends: sign in again."""
    signing_in.change_password(
        uow, body.username, body.current_password, body.new_password, client_address(request)
    )
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=True, samesite="lax")


@router.post(
    "/auth/logout-everywhere",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End every session and API token of mine",
)
def logout_everywhere(principal: CurrentPrincipal, response: Response, uow: Uow) -> None:
    """Revoke all the caller's sessions and API tokens, this one included."""
    users.sign_out_everywhere(uow, principal)
    uow.commit()
    response.delete_cookie(SESSION_COOKIE, httponly=True, secure=True, samesite="lax")


def client_address(request: Request) -> str:
    """The address sign-ins are throttled by: the peer's (behind a proxy, run uvicorn with
    --proxy-headers and --forwarded-allow-ips so that it is the client's)."""
    return request.client.host if request.client else "unknown"


@router.get("/auth/me", response_model=UserOut, summary="The signed-in user")
def me(principal: CurrentPrincipal, uow: Uow) -> User:
    """Who the credentials belong to, with their role and organisation."""
    return users.own_account(uow, principal)


@router.get("/tokens", response_model=list[TokenOut], summary="My API tokens")
def list_tokens(principal: CurrentPrincipal, uow: Uow) -> object:
    """The caller's API tokens (never the secret itself)."""
    return accounts.list_own_tokens(uow, principal)


@router.post(
    "/tokens",
    response_model=NewTokenOut,
    status_code=201,
    summary="Create an API token",
    responses=FORBIDDEN,
)
def create_token(body: NewTokenIn, principal: CurrentPrincipal, uow: Uow) -> NewTokenOut:
    """Issue a token for oneself (shown once); nobody issues one for another user."""
    credential, raw = accounts.issue_api_token(
        uow,
        principal,
        body.username or principal.username,
        body.name,
        body.days,
        read_only=body.read_only,
    )
    uow.commit()
    return NewTokenOut(**TokenOut.model_validate(credential).model_dump(), token=raw)


@router.delete("/tokens/{token_id}", response_model=TokenOut, summary="Revoke an API token")
def revoke_token(token_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """Revoke one's own token, or as an administrator a token of a user of its state."""
    credential = accounts.revoke_credential(uow, principal, token_id)
    uow.commit()
    return credential
