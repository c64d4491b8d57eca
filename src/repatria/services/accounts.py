"""Organisations, users, logins, sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

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
    Term,
)
from repatria.i18n import N_
from repatria.services.commands import CreateOrganisation, CreateUser
from repatria.services.passwords import check_policy, hash_password
from repatria.services.ports.accounts import KeyedRead, TokenHolder
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
    if uow.accounts.organisation_by_code(command.code) is not None:
        raise Conflict(
            N_("an organisation with code %(code)s already exists"), code=repr(command.code)
        )
    organisation = Organisation(code=command.code, name=command.name, state=command.state)
    uow.accounts.add_organisation(organisation)
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
    organisation = uow.accounts.organisation_by_code(command.organisation_code)
    if organisation is None:
        raise InvalidInput(
            "organisation_code",
            N_("no organisation %(code)s"),
            code=repr(command.organisation_code),
        )
    _require_grantable(actor, organisation.state, command.role)
    if password_hash is None:
        check_policy(command.password, command.username)
    if uow.accounts.user_by_name(command.username) is not None:
        raise Conflict(N_("the username %(username)s is taken"), username=repr(command.username))
    assert organisation.id is not None
    user = User(
        username=command.username,
        display_name=command.display_name,
        password_hash=password_hash or hash_password(command.password),
        role=command.role,
        organisation_id=organisation.id,
        organisation=organisation,
    )
    uow.accounts.add_user(user)
    after = command.model_dump(mode="json", exclude={"password"})
    uow.record(actor, "CreateUser", "user", user.id, after=after, states=[organisation.state])
    return user


def _require_grantable(actor: Principal, state: str, role: Role) -> None:
    # Organisations are public, so refusing another state's organisation leaks nothing.
    if not administers(actor, state):
        raise PermissionDenied(
            N_("an administrator of %(own)s does not administer %(state)s"),
            own=actor.state,
            state=state,
        )
    if role in OPERATOR_GRANTED and not is_operator(actor):
        raise PermissionDenied(
            N_("only the installation's operator grants the role %(role)s"), role=Term(role.value)
        )


def issue_credential(
    uow: UnitOfWork,
    actor: Principal,
    user: User,
    kind: CredentialKind,
    name: str,
    lifetime: timedelta,
    *,
    read_only: bool = False,
    issuer: str | None = None,
) -> tuple[Credential, str]:
    """Issue a session or API token; the raw token is returned once and never stored. A
    read-only API token may read what its user may, and change nothing. `issuer`: the
    identity provider a session was opened through."""
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
    uow.accounts.add_credential(credential, issuer=issuer)
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
        raise PermissionDenied(N_("an API token is issued only to its own user, signed in"))
    if not 1 <= days <= 366:
        raise InvalidInput("days", N_("must be between 1 and 366"))
    user = uow.accounts.user_by_name(username)
    if user is None or not user.active:
        raise InvalidInput("username", N_("no active user %(username)s"), username=repr(username))
    return issue_credential(
        uow, actor, user, CredentialKind.API, name, timedelta(days=days), read_only=read_only
    )


def authenticate(uow: UnitOfWork, raw_token: str) -> Principal:
    """The principal a session or API token stands for, if it is still valid."""
    return _principal(uow.accounts.token_holder(_token_digest(raw_token)))


def authenticate_reading(
    uow: UnitOfWork, raw_token: str, read: KeyedRead, record_id: int
) -> tuple[Principal, dict[str, Any] | None]:
    """`authenticate`, and the columns of one record read by its id that do not depend on who
    asks, in one statement (one round trip, where the two took two). The record (None if
    there is none) is given only with the principal: a caller not authenticated gets
    NotAuthenticated as from `authenticate`, and it is for the caller to check what the
    principal may see."""
    holder, record = uow.accounts.token_holder_reading(_token_digest(raw_token), read, record_id)
    return _principal(holder), record


def _principal(holder: TokenHolder | None) -> Principal:
    if holder is None:
        raise NotAuthenticated(N_("the token is unknown, expired or revoked"))
    if not token_usable(holder.revoked_at, holder.expires_at, utcnow()):
        raise NotAuthenticated(N_("the token is unknown, expired or revoked"))
    if not holder.active:
        raise NotAuthenticated(N_("the user is disabled"))
    return Principal(
        holder.user_id,
        holder.username,
        holder.role,
        holder.organisation_id,
        holder.state,
        read_only=bool(holder.read_only),
        language=holder.language,
    )


def revoke_credential(uow: UnitOfWork, actor: Principal, credential_id: int) -> Credential:
    """Revoke a token: one's own, or, as an administrator, one of a user of its own state
    (another state's token is not found: its existence does not leak)."""
    credential = uow.accounts.credential(credential_id)
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
    credential = uow.accounts.credential_by_token(_token_digest(raw_token))
    if credential is not None and credential.revoked_at is None:
        credential.revoked_at = utcnow()


def open_session(uow: UnitOfWork, user: User, hours: int, *, issuer: str | None = None) -> str:
    """A browser session for a user whose sign-in is complete; the raw token, returned once.
    `issuer` is the identity provider it was opened through, so signing out ends the
    provider's session too (RP-initiated logout)."""
    _, raw = issue_credential(
        uow,
        principal_of(user),
        user,
        CredentialKind.SESSION,
        "browser session",
        timedelta(hours=hours),
        issuer=issuer,
    )
    return raw


def session_issuer(uow: UnitOfWork, raw_token: str) -> str | None:
    """The identity provider a session was opened through (its issuer), if any."""
    return uow.accounts.session_issuer(_token_digest(raw_token))


def list_own_tokens(uow: UnitOfWork, actor: Principal) -> list[Credential]:
    """The API tokens of the acting user, newest first."""
    return [] if actor.user_id is None else uow.accounts.api_tokens_of(actor.user_id)


def list_organisations(uow: UnitOfWork) -> list[Organisation]:
    """Every organisation; their names and states are not confidential."""
    return uow.accounts.organisations()
