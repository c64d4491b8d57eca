"""Organisations, users, logins, sessions and API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, bindparam, select, true, update

from repatria.adapters.db import tables as t
from repatria.domain.access import (
    OPERATOR_GRANTED,
    Action,
    administers,
    allowed,
    is_operator,
    require,
    require_operator,
)
from repatria.domain.accounts import (
    Credential,
    CredentialKind,
    Organisation,
    Principal,
    Role,
    User,
    token_usable,
)
from repatria.domain.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from repatria.services.commands import CreateOrganisation, CreateUser
from repatria.services.passwords import check_policy, hash_password
from repatria.services.unit_of_work import UnitOfWork, utcnow

TOKEN_PREFIX = "rpt_"  # noqa: S105 - a public prefix that makes leaked tokens findable


def _token_digest(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; argon2 is for passwords.
    return hashlib.sha256(raw.encode()).hexdigest()


def principal_of(user: User) -> Principal:
    """The acting principal for a loaded user."""
    assert user.organisation is not None and user.id is not None
    return Principal(
        user.id,
        user.username,
        user.role,
        user.organisation_id,
        user.organisation.state,
        language=user.language,
    )


def create_organisation(
    uow: UnitOfWork, actor: Principal, command: CreateOrganisation
) -> Organisation:
    """Create an organisation of one state (the installation's operator only)."""
    require_operator(actor, "create organisations")
    if uow.session.scalar(select(Organisation).where(t.organisations.c.code == command.code)):
        raise Conflict(f"an organisation with code {command.code!r} already exists")
    organisation = Organisation(code=command.code, name=command.name, state=command.state)
    uow.session.add(organisation)
    uow.session.flush()
    uow.record(
        actor,
        "CreateOrganisation",
        "organisation",
        organisation.id,
        after=command.model_dump(mode="json"),
        states=[command.state],
    )
    return organisation


def create_user(
    uow: UnitOfWork, actor: Principal, command: CreateUser, *, password_hash: str | None = None
) -> User:
    """Create a user in an organisation, storing only an argon2 hash of the password.

    An administrator creates users of its own state's organisations, in any role but
    administrator and auditor, which only the installation's operator grants.
    `password_hash`, when given, must be hash_password(command.password) made by the caller
    (the demo loader makes one for the shared published demo password)."""
    require(actor, Action.MANAGE_ACCOUNTS)
    organisation = uow.session.scalar(
        select(Organisation).where(t.organisations.c.code == command.organisation_code)
    )
    if organisation is None:
        raise InvalidInput("organisation_code", f"no organisation {command.organisation_code!r}")
    _require_grantable(actor, organisation.state, command.role)
    if password_hash is None:
        check_policy(command.password, command.username)
    if uow.session.scalar(select(User).where(t.users.c.username == command.username)):
        raise Conflict(f"the username {command.username!r} is taken")
    assert organisation.id is not None
    user = User(
        username=command.username,
        display_name=command.display_name,
        password_hash=password_hash or hash_password(command.password),
        role=command.role,
        organisation_id=organisation.id,
        organisation=organisation,
    )
    uow.session.add(user)
    uow.session.flush()
    after = command.model_dump(mode="json", exclude={"password"})
    uow.record(actor, "CreateUser", "user", user.id, after=after, states=[organisation.state])
    return user


def _require_grantable(actor: Principal, state: str, role: Role) -> None:
    # Organisations are public, so refusing another state's organisation leaks nothing.
    if not administers(actor, state):
        raise PermissionDenied(f"an administrator of {actor.state} does not administer {state}")
    if role in OPERATOR_GRANTED and not is_operator(actor):
        raise PermissionDenied(f"only the installation's operator grants the role {role.value}")


def _user_by_name(uow: UnitOfWork, username: str) -> User | None:
    return uow.session.scalar(select(User).where(t.users.c.username == username))


def issue_credential(
    uow: UnitOfWork,
    actor: Principal,
    user: User,
    kind: CredentialKind,
    name: str,
    lifetime: timedelta,
    *,
    read_only: bool = False,
) -> tuple[Credential, str]:
    """Issue a session or API token; the raw token is returned once and never stored. A
    read-only API token may read what its user may, and change nothing."""
    assert user.id is not None
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    credential = Credential(
        user_id=user.id,
        kind=kind,
        token_hash=_token_digest(raw),
        name=name,
        created_at=now,
        expires_at=now + lifetime,
        read_only=read_only and kind is CredentialKind.API,
        user=user,
    )
    uow.session.add(credential)
    uow.session.flush()
    if kind is CredentialKind.API:
        uow.record(
            actor,
            "IssueApiToken",
            "credential",
            credential.id,
            after={
                "user": user.username,
                "name": name,
                "expires_at": credential.expires_at.isoformat(),
                "read_only": credential.read_only,
            },
            states=[_state_of(user)],
        )
    return credential, raw


def _state_of(user: User) -> str:
    assert user.organisation is not None
    return user.organisation.state


def issue_api_token(
    uow: UnitOfWork,
    actor: Principal,
    username: str,
    name: str,
    days: int,
    *,
    read_only: bool = False,
) -> tuple[Credential, str]:
    """Issue an API token for oneself: nobody, administrators included, makes one for
    another user, who could then be impersonated."""
    if username != actor.username or actor.user_id is None:
        raise PermissionDenied("an API token is issued only to its own user, signed in")
    if not 1 <= days <= 366:
        raise InvalidInput("days", "must be between 1 and 366")
    user = _user_by_name(uow, username)
    if user is None or not user.active:
        raise InvalidInput("username", f"no active user {username!r}")
    return issue_credential(
        uow, actor, user, CredentialKind.API, name, timedelta(days=days), read_only=read_only
    )


# Every request authenticates: one Core query over the credential, its user and the user's
# organisation, without building ORM objects.
_AUTHENTICATE = (
    select(
        t.credentials.c.expires_at,
        t.credentials.c.revoked_at,
        t.credentials.c.read_only,
        t.users.c.id,
        t.users.c.username,
        t.users.c.role,
        t.users.c.active,
        t.users.c.organisation_id,
        t.organisations.c.state,
        t.users.c.language,
    )
    .select_from(t.credentials)
    .join(t.users, t.users.c.id == t.credentials.c.user_id)
    .join(t.organisations, t.organisations.c.id == t.users.c.organisation_id)
    .where(t.credentials.c.token_hash == bindparam("token_hash"))
)


def authenticate(uow: UnitOfWork, raw_token: str) -> Principal:
    """The principal a session or API token stands for, if it is still valid."""
    found = uow.connection().execute(_AUTHENTICATE, {"token_hash": _token_digest(raw_token)})
    return _principal(found.first())


def authenticate_reading(
    uow: UnitOfWork, raw_token: str, read: Select[Any], params: Mapping[str, Any]
) -> tuple[Principal, tuple[Any, ...] | None]:
    """`authenticate`, and the one row of a read by key that does not depend on who asks, in
    one statement (one round trip, where the two took two): the read joined to the
    credential's row. The read's row (None if there is none: its first column, the key it is
    read by, must never be NULL) is given only with the principal: a caller not
    authenticated gets NotAuthenticated as from `authenticate`, and it is for the caller to
    check what the principal may see."""
    found = (
        uow.connection()
        .execute(_with_read(read), {**params, "token_hash": _token_digest(raw_token)})
        .first()
    )
    if found is None:
        return _principal(None), None
    width = len(_AUTHENTICATE.selected_columns)
    principal = _principal(found[:width])
    row = found[width:]
    return principal, row if row[0] is not None else None


@functools.cache
def _with_read(read: Select[Any]) -> Select[Any]:
    # The credential's row, then the read's columns: NULL when the read finds nothing.
    who = _AUTHENTICATE.subquery("who")
    what = read.subquery("what")
    return select(*who.c, *what.c).select_from(who.outerjoin(what, true()))


def _principal(row: tuple[Any, ...] | None) -> Principal:
    if row is None:
        raise NotAuthenticated("the token is unknown, expired or revoked")
    (expires_at, revoked_at, read_only, user_id, username, role, active, organisation_id, state) = (
        row[:9]
    )
    if not token_usable(revoked_at, expires_at, utcnow()):
        raise NotAuthenticated("the token is unknown, expired or revoked")
    if not active:
        raise NotAuthenticated("the user is disabled")
    return Principal(
        user_id,
        username,
        role,
        organisation_id,
        state,
        read_only=bool(read_only),
        language=row[9],
    )


def revoke_credential(uow: UnitOfWork, actor: Principal, credential_id: int) -> Credential:
    """Revoke a token: one's own, or, as an administrator, one of a user of its own state
    (another state's token is not found: its existence does not leak)."""
    credential = uow.session.get(Credential, credential_id)
    if credential is None or credential.user is None:
        raise NotFound("token", credential_id)
    if credential.user_id != actor.user_id and not (
        allowed(actor, Action.MANAGE_ACCOUNTS) and administers(actor, _state_of(credential.user))
    ):
        raise NotFound("token", credential_id)
    if credential.revoked_at is None:
        credential.revoked_at = utcnow()
        uow.record(
            actor,
            "RevokeToken",
            "credential",
            credential.id,
            after={"revoked_at": credential.revoked_at.isoformat()},
            states=[_state_of(credential.user)],
        )
    return credential


def revoke_raw_token(uow: UnitOfWork, raw_token: str) -> None:
    """End a session by its raw token (logout); unknown tokens are ignored."""
    credential = uow.session.scalar(
        select(Credential).where(t.credentials.c.token_hash == _token_digest(raw_token))
    )
    if credential is not None and credential.revoked_at is None:
        credential.revoked_at = utcnow()


def open_session(uow: UnitOfWork, user: User, hours: int, *, issuer: str | None = None) -> str:
    """A browser session for a user whose sign-in is complete; the raw token, returned once.
    `issuer` is the identity provider it was opened through, so signing out ends the
    provider's session too (RP-initiated logout)."""
    credential, raw = issue_credential(
        uow,
        principal_of(user),
        user,
        CredentialKind.SESSION,
        "browser session",
        timedelta(hours=hours),
    )
    if issuer is not None:
        uow.session.execute(
            update(t.credentials).where(t.credentials.c.id == credential.id).values(issuer=issuer)
        )
    return raw


def session_issuer(uow: UnitOfWork, raw_token: str) -> str | None:
    """The identity provider a session was opened through (its issuer), if any."""
    issuer: str | None = uow.session.scalar(
        select(t.credentials.c.issuer).where(t.credentials.c.token_hash == _token_digest(raw_token))
    )
    return issuer


def list_own_tokens(uow: UnitOfWork, actor: Principal) -> list[Credential]:
    """The API tokens of the acting user, newest first."""
    query = (
        select(Credential)
        .where(t.credentials.c.user_id == actor.user_id, t.credentials.c.kind == CredentialKind.API)
        .order_by(t.credentials.c.id.desc())
    )
    return list(uow.session.scalars(query))


def list_organisations(uow: UnitOfWork) -> list[Organisation]:
    """Every organisation; their names and states are not confidential."""
    return list(uow.session.scalars(select(Organisation).order_by(t.organisations.c.code)))
