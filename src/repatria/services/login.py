"""Signing in with a password, throttled per account and per client address.

Unlike other use cases, these commit on their own, twice: the attempt is counted in one
short transaction before the password is checked, and the outcome in a second. So parallel
guesses cannot all pass one check of the count, and no writer waits for the hash (a
quarter of a second, run outside any transaction and at most HASHES_AT_ONCE at a time).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from repatria.domain.accounts import Credential, Principal, Role, User
from repatria.domain.errors import (
    InvalidInput,
    NotAuthenticated,
    PasswordChangeRequired,
    PasswordsSwitchedOff,
    SecurityKeyRequired,
    TooManyAttempts,
)
from repatria.domain.throttle import PER_ACCOUNT, PER_ADDRESS, ThrottlePolicy, stale_before
from repatria.i18n import N_
from repatria.services import passwords, second_factor, users
from repatria.services.accounts import issue_api_token, open_session, principal_of
from repatria.services.unit_of_work import UnitOfWork, utcnow

SIGN_IN = Principal.system("sign-in")  # the actor of a failure: nobody has signed in


@dataclass(frozen=True)
class _Attempt:
    username: str
    address: str
    keys: tuple[tuple[str, ThrottlePolicy], ...]
    user_id: int | None
    password_hash: str | None


def login(
    uow: UnitOfWork,
    username: str,
    password: str,
    address: str,
    hours: int,
    *,
    passwords_off: Collection[str] = (),
    key_roles: Collection[Role] = (),
    presents_key: bool = True,
) -> tuple[User, str]:
    """Check the password and open a session; the same error for any failure, 429 while
    throttled; PasswordsSwitchedOff for a user of an organisation in `passwords_off` (which
    signs in through its identity provider). A user who must present a security key (one
    who has one, or whose role is in `key_roles`) gets no session but SecurityKeyRequired,
    with a pending sign-in where the caller `presents_key` (the browser), else refused and
    recorded. Commits (see the module)."""
    user = _checked(uow, username, password, address)
    _refuse_if_switched_off(uow, user, passwords_off, address)
    if user.must_change_password:
        uow.commit()
        raise PasswordChangeRequired(N_("set a new password first (POST /api/v1/auth/password)"))
    if not presents_key:
        _refuse_if_key_needed(uow, user, key_roles, address)
    second_factor.require_key(uow, user, key_roles)
    raw = open_session(uow, user, hours)
    uow.commit()
    return user, raw


def change_password(uow: UnitOfWork, username: str, current: str, new: str, address: str) -> User:
    """Replace one's password, the current one (or a one-time one) required; every session
    and token ends, so one signs in again. Commits (see the module)."""
    passwords.check_policy(new, username, "new_password")
    if new == current:
        raise InvalidInput("new_password", N_("must differ from the current password"))
    user = _checked(uow, username, current, address)
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    ended = users.end_credentials(uow, user)
    uow.record(
        principal_of(user),
        "ChangePassword",
        "user",
        user.id,
        after={"credentials_ended": ended},
        states=[users.state_of(user)],
    )
    uow.commit()
    return user


def issue_token_with_password(
    uow: UnitOfWork,
    username: str,
    password: str,
    name: str,
    days: int,
    *,
    passwords_off: Collection[str] = (),
    read_only: bool = False,
    key_roles: Collection[Role] = (),
) -> tuple[Credential, str]:
    """An API token for a user who gives their own password (the operator's CLI, which makes
    no token for anyone without it); not where the user's organisation switched passwords off,
    nor for a user who must present a security key (who makes tokens on the account page).
    Commits (see the module)."""
    user = _checked(uow, username, password, "cli")
    _refuse_if_switched_off(uow, user, passwords_off, "cli")
    if user.must_change_password:
        uow.commit()
        raise PasswordChangeRequired(
            N_("set a new password first (repatria users change-password)")
        )
    _refuse_if_key_needed(uow, user, key_roles, "cli")
    credential, raw = issue_api_token(
        uow, principal_of(user), username, name, days, read_only=read_only
    )
    uow.commit()
    return credential, raw


def _refuse_if_switched_off(
    uow: UnitOfWork, user: User, passwords_off: Collection[str], address: str
) -> None:
    # Said only after the right password: it tells nothing of who has an account.
    if user.organisation is None or user.organisation.code not in passwords_off:
        return
    uow.record(
        SIGN_IN,
        "FailSignIn",
        "user",
        user.id,
        after={"username": user.username, "address": address},
        reason="local passwords are switched off for the organisation",
        states=[users.state_of(user)],
    )
    uow.commit()
    raise PasswordsSwitchedOff(
        N_("%(organisation)s signs in through its identity provider, not with a password"),
        organisation=user.organisation.name,
    )


def _refuse_if_key_needed(
    uow: UnitOfWork, user: User, key_roles: Collection[Role], address: str
) -> None:
    # Where no key can be presented (the API, the command line), a password is not enough.
    if not second_factor.key_needed(uow, user, key_roles):
        return
    reason = "a security key is required, and can be presented only in the browser"
    uow.record(
        SIGN_IN,
        "FailSignIn",
        "user",
        user.id,
        after={"username": user.username, "address": address},
        reason=reason,
        states=[users.state_of(user)],
    )
    uow.commit()
    raise SecurityKeyRequired(
        N_(
            "a security key is required, and can be presented only in the browser: sign in on"
            " the web pages (API tokens are made on the account page)"
        )
    )


def _checked(uow: UnitOfWork, username: str, password: str, address: str) -> User:
    # The user, loaded in the unit's new transaction, or NotAuthenticated / TooManyAttempts.
    attempt = _begin(uow, username.lower(), address)
    uow.commit()
    right = passwords.verify(attempt.password_hash, password)
    user = uow.accounts.user(attempt.user_id) if attempt.user_id is not None else None
    if not right or user is None or not user.active:
        _failed(uow, attempt, user)
        uow.commit()
        raise NotAuthenticated(N_("wrong username or password"))
    _succeeded(uow, attempt)
    return user


def _begin(uow: UnitOfWork, username: str, address: str) -> _Attempt:
    now = utcnow()
    keys = ((f"account:{username}", PER_ACCOUNT), (f"address:{address}", PER_ADDRESS))
    counted = []
    for key, policy in keys:
        failures, last = uow.accounts.throttle(key, now)
        counting = policy.failures_counting(failures, last, now)
        wait = policy.seconds_to_wait(counting, last, now)
        if wait:
            raise TooManyAttempts(wait)  # nothing is written: the unit rolls back
        counted.append((key, counting))
    for key, counting in counted:
        uow.accounts.count_attempt(key, counting + 1, now)
    found = uow.accounts.password_of(username)
    return _Attempt(
        username,
        address,
        keys,
        found.user_id if found else None,
        found.password_hash if found else None,
    )


def _failed(uow: UnitOfWork, attempt: _Attempt, user: User | None) -> None:
    # The attempt was counted before the check; record it, and any lockout it starts.
    # A username that names no account is not recorded: it may be a mistyped password.
    states = [users.state_of(user)] if user is not None else []
    subject = user.id if user is not None else "unknown"
    who = {"username": attempt.username if user is not None else None, "address": attempt.address}
    failures = {}
    for key, policy in attempt.keys:
        count, last = uow.accounts.throttle_failures(key)
        kind = key.partition(":")[0]
        failures[kind] = count
        wait = policy.wait_after(count)
        if wait:
            uow.record(
                SIGN_IN,
                "LockOutSignIn",
                "user",
                subject,
                after={**who, "by": kind, "failures": count, "until": (last + wait).isoformat()},
                states=states,
            )
    uow.record(SIGN_IN, "FailSignIn", "user", subject, after={**who, **failures}, states=states)


def _succeeded(uow: UnitOfWork, attempt: _Attempt) -> None:
    # The account starts afresh; the address gives back the one attempt counted ahead.
    # Housekeeping: rows whose failures are forgotten throttle nobody, and go (a sign-in
    # succeeds often enough; docs/configuration.md).
    (account, _), (address, _) = attempt.keys
    uow.accounts.forget_throttles_before(stale_before(utcnow()))
    uow.accounts.clear_failures(account)
    uow.accounts.give_back_failure(address)
