"""An administrator's users: listing, roles, deactivation, one-time resets; signing out.

An administrator administers the users of its own state's organisations; administrators
and auditors are the installation's operator's to manage (domain.access.OPERATOR_GRANTED).
Another state's user is not found, so its existence does not leak.
"""

from __future__ import annotations

import secrets

from repatria.domain.access import OPERATOR_GRANTED, Action, administers, is_operator, require
from repatria.domain.accounts import Credential, Principal, Role, User
from repatria.domain.errors import NotFound, PermissionDenied, Term
from repatria.i18n import N_
from repatria.services.passwords import hash_password
from repatria.services.unit_of_work import UnitOfWork, utcnow


def list_users(uow: UnitOfWork, actor: Principal) -> list[User]:
    """The users the actor administers the state of, by username."""
    require(actor, Action.MANAGE_ACCOUNTS)
    return uow.accounts.users(None if is_operator(actor) else actor.state)


def own_account(uow: UnitOfWork, actor: Principal) -> User:
    """The actor's own account, with its role and organisation."""
    user = uow.accounts.user(actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise NotFound("user", actor.username)
    return user


def id_of(uow: UnitOfWork, username: str) -> int:
    """The id of the user of that name (for the operator's command line)."""
    user = uow.accounts.user_by_name(username)
    if user is None or user.id is None:
        raise NotFound("user", username)
    return user.id


def get_or_raise(uow: UnitOfWork, actor: Principal, user_id: int) -> User:
    """A user of the actor's state (NotFound for any other), for an administrator to manage."""
    require(actor, Action.MANAGE_ACCOUNTS)
    user = uow.accounts.user(user_id)
    if user is None or user.organisation is None or not administers(actor, state_of(user)):
        raise NotFound("user", user_id)
    return user


def _managed(uow: UnitOfWork, actor: Principal, user_id: int) -> User:
    user = get_or_raise(uow, actor, user_id)
    if user.role in OPERATOR_GRANTED and not is_operator(actor):
        raise PermissionDenied(
            N_("a user with the role %(role)s is the operator's to manage"),
            role=Term(user.role.value),
        )
    return user


def state_of(user: User) -> str:
    """The state of the user's organisation."""
    assert user.organisation is not None
    return user.organisation.state


def tokens_of(uow: UnitOfWork, actor: Principal, user_id: int) -> list[Credential]:
    """A user's API tokens, newest first, for an administrator to revoke."""
    get_or_raise(uow, actor, user_id)
    return uow.accounts.api_tokens_of(user_id)


def change_role(uow: UnitOfWork, actor: Principal, user_id: int, role: Role) -> User:
    """Give a user another role (not one only the operator grants)."""
    user = _managed(uow, actor, user_id)
    if role in OPERATOR_GRANTED and not is_operator(actor):
        raise PermissionDenied(
            N_("only the installation's operator grants the role %(role)s"), role=Term(role.value)
        )
    if role is not user.role:
        before = {"role": user.role.value}
        user.role = role
        uow.record(
            actor,
            "ChangeRole",
            "user",
            user.id,
            before=before,
            after={"role": role.value},
            states=[state_of(user)],
        )
    return user


def deactivate(uow: UnitOfWork, actor: Principal, user_id: int, reason: str = "") -> User:
    """Stop a user signing in; every session and token of theirs ends now."""
    user = _managed(uow, actor, user_id)
    if user.active:
        user.active = False
        ended = end_credentials(uow, user)
        uow.record(
            actor,
            "DeactivateUser",
            "user",
            user.id,
            after={"active": False, "credentials_ended": ended},
            reason=reason,
            states=[state_of(user)],
        )
    return user


def reactivate(uow: UnitOfWork, actor: Principal, user_id: int, reason: str = "") -> User:
    """Let a deactivated user sign in again (the tokens ended stay ended)."""
    user = _managed(uow, actor, user_id)
    if not user.active:
        user.active = True
        uow.record(
            actor,
            "ReactivateUser",
            "user",
            user.id,
            after={"active": True},
            reason=reason,
            states=[state_of(user)],
        )
    return user


def reset_password(uow: UnitOfWork, actor: Principal, user_id: int) -> tuple[User, str]:
    """Give a user a one-time password (returned once, to hand over) that only lets them set
    a new one; every session and token of theirs ends now."""
    user = _managed(uow, actor, user_id)
    one_time = secrets.token_urlsafe(12)
    user.password_hash = hash_password(one_time)
    user.must_change_password = True
    ended = end_credentials(uow, user)
    uow.record(
        actor,
        "ResetPassword",
        "user",
        user.id,
        after={"must_change_password": True, "credentials_ended": ended},
        states=[state_of(user)],
    )
    return user, one_time


def sign_out_everywhere(uow: UnitOfWork, actor: Principal) -> int:
    """End every session and API token of the acting user; the number ended."""
    user = own_account(uow, actor)
    ended = end_credentials(uow, user)
    uow.record(
        actor,
        "SignOutEverywhere",
        "user",
        user.id,
        after={"credentials_ended": ended},
        states=[state_of(user)],
    )
    return ended


def end_credentials(uow: UnitOfWork, user: User) -> int:
    """Revoke every session and token of the user still open, and end any sign-in waiting
    for a security key; how many sessions and tokens were open."""
    assert user.id is not None
    return uow.accounts.end_credentials(user.id, utcnow())
