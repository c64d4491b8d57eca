"""Recovery codes: ten one-time codes that stand in for a lost security key.

Made when the first key is registered (and again on request, which ends the old ones), shown
once, stored as argon2 hashes as passwords are. A code reads `abcd-efgh-jkmn-pqrs`: its first
group finds the stored hash (it is no secret), the other three (about 52 bits) are checked
against it, so one use costs one hash however many codes are left. Hashing ten codes takes
seconds at the production cost (4.8 s on a loaded two-core machine): `prepare` does it before
the unit of work takes a writer's turn, as signing in does for the password.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from repatria.domain.accounts import Principal, User
from repatria.services import passwords, users
from repatria.services.accounts import principal_of
from repatria.services.unit_of_work import UnitOfWork, utcnow

COUNT = 10
# No 0/o, 1/l/i: a code is read off paper and typed.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 4, 4


@dataclass(frozen=True)
class NewCodes:
    """Codes made and hashed, not yet stored."""

    codes: list[str]
    hashes: list[str]  # argon2 of each code's secret part (after its lookup group)


def prepare() -> NewCodes:
    """New codes and their hashes; no database (call it outside any transaction)."""
    lookups: set[str] = set()
    while len(lookups) < COUNT:
        lookups.add(_group())
    codes = [
        "-".join([lookup, *(_group() for _ in range(GROUPS - 1))]) for lookup in sorted(lookups)
    ]
    return NewCodes(codes, [passwords.hash_password(code.partition("-")[2]) for code in codes])


def generate(
    uow: UnitOfWork, actor: Principal, user: User, prepared: NewCodes | None = None
) -> list[str]:
    """Store new codes for the user (those `prepared`, else made now) and return them, once;
    any earlier ones end. Does not commit."""
    assert user.id is not None
    made = prepared or prepare()
    ended = uow.accounts.end_recovery_codes(user.id)
    now = utcnow()
    for code, code_hash in zip(made.codes, made.hashes, strict=True):
        uow.accounts.add_recovery_code(user.id, code.partition("-")[0], code_hash, now)
    uow.record(
        actor,
        "GenerateRecoveryCodes",
        "user",
        user.id,
        after={"codes": COUNT, "ended": ended},
        states=[users.state_of(user)],
    )
    return made.codes


def remaining(uow: UnitOfWork, user_id: int) -> int:
    """How many of the user's codes are still unused."""
    return uow.accounts.recovery_codes_left(user_id)


def use(uow: UnitOfWork, user: User, given: str) -> bool:
    """Spend one of the user's codes in place of a key: True, and the use recorded
    (UseRecoveryCode), when it is one of theirs not used before. The code's hash is read and
    that read committed (nothing is written by then) before the hash is checked, so a gated
    unit checks it outside its writer's turn, as signing in does; the use is not committed."""
    assert user.id is not None
    user_id = user.id
    code = "".join(given.split()).lower()
    lookup, _, secret = code.partition("-")
    stored = uow.accounts.recovery_code(user_id, lookup[: GROUP_LENGTH * 2])
    uow.commit()
    # A hash is checked even for no row, so the time taken does not tell which groups exist.
    if not passwords.verify(stored.code_hash if stored else None, secret) or stored is None:
        return False
    if not uow.accounts.spend_recovery_code(stored.id, utcnow()):
        # spent by a parallel request in between
        return False
    uow.record(
        principal_of(user),
        "UseRecoveryCode",
        "user",
        user.id,
        after={"codes_left": remaining(uow, user_id)},
        states=[users.state_of(user)],
    )
    return True


def _group() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH))
