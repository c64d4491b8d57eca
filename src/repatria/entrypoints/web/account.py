"""The user's account: who they are and their API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response

from repatria.entrypoints.web.case_actions import Short
from repatria.entrypoints.web.deps import AppContainer, RecordId, Uow, User
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services import accounts

router = web_router()


def _page(request: Request, uow: Uow, principal: User, new_token: str = "") -> Response:
    tokens = accounts.list_own_tokens(uow, principal)
    return render(request, "account/index.html", {"tokens": tokens, "new_token": new_token})


@router.get("/account")
def account(request: Request, uow: Uow, principal: User) -> Response:
    """The user's details and API tokens."""
    return _page(request, uow, principal)


@router.post("/account/tokens")
def create_token(
    request: Request,
    uow: Uow,
    principal: User,
    container: AppContainer,
    name: Short,
    days: Annotated[int, Form(ge=1, le=366)] = 30,
) -> Response:
    """Issue an API token; it is shown once, on this page, and never again."""
    _, raw = accounts.issue_api_token(uow, principal, principal.username, name.strip(), days)
    uow.commit()
    return _page(request, uow, principal, raw)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: RecordId, uow: Uow, principal: User) -> Response:
    """Revoke one of the user's tokens."""
    accounts.revoke_credential(uow, principal, token_id)
    uow.commit()
    return _page(request, uow, principal)
