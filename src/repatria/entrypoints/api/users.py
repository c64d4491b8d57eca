"""Users of one's own state: an administrator's to create, list, change and deactivate."""

from __future__ import annotations

from fastapi import APIRouter

from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.schemas import (
    ChangeRoleIn,
    OneTimePasswordOut,
    ReasonIn,
    TokenOut,
    UserOut,
)
from repatria.services import accounts, users
from repatria.services.commands import CreateUser

router = APIRouter(tags=["users"], responses=FORBIDDEN)  # administrators only


@router.get("/users", response_model=list[UserOut], summary="Users of my state")
def list_users(principal: CurrentPrincipal, uow: Uow) -> object:
    """The users of the administrator's own state's organisations."""
    return users.list_users(uow, principal)


@router.post("/users", response_model=UserOut, status_code=201, summary="Add a user")
def create_user(body: CreateUser, principal: CurrentPrincipal, uow: Uow) -> object:
    """Create a user in an organisation of one's own state (not an administrator or an
    auditor: the installation's operator creates those)."""
    user = accounts.create_user(uow, principal, body)
    uow.commit()
    return user


@router.patch("/users/{user_id}", response_model=UserOut, summary="Change a user's role")
def change_role(
    user_id: RecordId, body: ChangeRoleIn, principal: CurrentPrincipal, uow: Uow
) -> object:
    """Give a user of one's state another role."""
    user = users.change_role(uow, principal, user_id, body.role)
    uow.commit()
    return user


@router.get("/users/{user_id}/tokens", response_model=list[TokenOut], summary="A user's tokens")
def list_tokens(user_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """A user's API tokens, for an administrator of their state to revoke."""
    return users.tokens_of(uow, principal, user_id)


@router.post("/users/{user_id}/deactivate", response_model=UserOut, summary="Deactivate")
def deactivate(user_id: RecordId, body: ReasonIn, principal: CurrentPrincipal, uow: Uow) -> object:
    """Stop a user signing in; every session and token of theirs ends at once."""
    user = users.deactivate(uow, principal, user_id, body.reason)
    uow.commit()
    return user


@router.post("/users/{user_id}/reactivate", response_model=UserOut, summary="Reactivate")
def reactivate(user_id: RecordId, body: ReasonIn, principal: CurrentPrincipal, uow: Uow) -> object:
    """Let a deactivated user sign in again."""
    user = users.reactivate(uow, principal, user_id, body.reason)
    uow.commit()
    return user


@router.post(
    "/users/{user_id}/reset-password",
    response_model=OneTimePasswordOut,
    summary="Issue a one-time password",
)
def reset_password(user_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """A one-time password (shown once) that only lets the user set a new one; every session
    and token of theirs ends at once."""
    user, one_time = users.reset_password(uow, principal, user_id)
    uow.commit()
    return {"user": user, "one_time_password": one_time}
