"""The second factor: a sign-in whose password (or provider) passed, waiting for a key.

Who must present a key: anyone who has registered one, and anyone whose role the installation
names (REPATRIA_REQUIRE_SECURITY_KEY_ROLES); one of those with no key yet may only register
one before going on. Until the key (or a recovery code) is presented there is no session: the
browser holds a pending sign-in's raw token, good for ten minutes and five wrong answers.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from repatria.domain.accounts import Role, User
from repatria.domain.errors import NotAuthenticated, SecurityKeyRequired
from repatria.i18n import N_
from repatria.services import security_keys, users
from repatria.services.accounts import open_session, principal_of
from repatria.services.unit_of_work import UnitOfWork, utcnow

PENDING_MINUTES = 10
MAX_FAILURES = 5


@dataclass(frozen=True)
class Pending:
    """A sign-in waiting for its key: whose, and through which provider (None: a password)."""

    id: int
    user: User
    issuer: str | None
    failures: int


def key_needed(uow: UnitOfWork, user: User, required_roles: Collection[Role]) -> bool:
    """True when the user must present a security key to sign in."""
    assert user.id is not None
    return user.role in required_roles or security_keys.has_keys(uow, user.id)


def require_key(
    uow: UnitOfWork, user: User, required_roles: Collection[Role], issuer: str | None = None
) -> None:
    """Raise SecurityKeyRequired with a new pending sign-in when the user must present a key
    (committing it); nothing when not."""
    if not key_needed(uow, user, required_roles):
        return
    raw = begin(uow, user, issuer)
    uow.commit()
    assert user.id is not None
    enrol = not security_keys.has_keys(uow, user.id)
    message = (
        N_("register a security key before signing in: your role requires one")
        if enrol
        else N_("present your security key to finish signing in")
    )
    raise SecurityKeyRequired(message, raw, enrol=enrol)


def begin(uow: UnitOfWork, user: User, issuer: str | None = None) -> str:
    """A pending sign-in for the user; its raw token, returned once. Does not commit."""
    assert user.id is not None
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    uow.accounts.add_pending_sign_in(
        user.id,
        _digest(raw),
        issuer,
        created_at=now,
        expires_at=now + timedelta(minutes=PENDING_MINUTES),
    )
    return raw


def pending(uow: UnitOfWork, raw: str | None) -> Pending:
    """The pending sign-in the raw token stands for; NotAuthenticated when it is unknown,
    ended, expired or out of attempts, or its user was deactivated meanwhile."""
    row = uow.accounts.pending_sign_in(_digest(raw)) if raw else None
    if (
        row is None
        or row.ended_at is not None
        or row.expires_at <= utcnow()
        or row.failures >= MAX_FAILURES
    ):
        raise NotAuthenticated(N_("this sign-in has ended or expired: sign in again"))
    user = uow.accounts.user(row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated(N_("this sign-in has ended or expired: sign in again"))
    return Pending(row.id, user, row.issuer, row.failures)


def failed(uow: UnitOfWork, waiting: Pending, *, recovery_code: bool = False) -> int:
    """Count a wrong answer (key or recovery code); the attempts left. A wrong recovery code
    is recorded here (FailRecoveryCode; a key's failure is recorded where it is checked).
    Does not commit."""
    if recovery_code:
        uow.record(
            security_keys.SIGN_IN_ACTOR,
            "FailRecoveryCode",
            "user",
            waiting.user.id,
            after={"username": waiting.user.username},
            states=[users.state_of(waiting.user)],
        )
    uow.accounts.count_pending_failure(waiting.id)
    return max(MAX_FAILURES - waiting.failures - 1, 0)


def finish(uow: UnitOfWork, waiting: Pending, hours: int, *, key: str | None) -> str:
    """End the pending sign-in and open the session (the raw token), recorded as signing in
    with the named key (SignInWithSecurityKey) or, with none, a recovery code
    (SignInWithRecoveryCode). Does not commit."""
    if not uow.accounts.end_pending_sign_in(waiting.id, utcnow()):
        # finished by a parallel request in between
        raise NotAuthenticated(N_("this sign-in has ended or expired: sign in again"))
    user = waiting.user
    raw = open_session(uow, user, hours, issuer=waiting.issuer)
    uow.record(
        principal_of(user),
        "SignInWithSecurityKey" if key is not None else "SignInWithRecoveryCode",
        "user",
        user.id,
        after={"key": key, "first_factor": waiting.issuer or "password"},
        states=[users.state_of(user)],
    )
    return raw


def _digest(raw: str | None) -> str:
    return hashlib.sha256((raw or "").encode()).hexdigest()
