"""Password hashing, bounded in how many run at once, and the password policy."""

from __future__ import annotations

import functools
import threading
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from repatria.domain.errors import InvalidInput
from repatria.i18n import N_
from repatria.settings import get_settings

MIN_LENGTH = 10
MAX_LENGTH = 200
# Each argon2 run takes 64 MiB and a quarter of a second of one core; a burst of parallel
# sign-ins would otherwise take as many of both as it has requests. Per worker process.
HASHES_AT_ONCE = 3
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)


def hash_password(password: str) -> str:
    """An argon2id hash of the password, at the cost the settings give."""
    with _hashing:
        return _hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True when the password matches the hash; with no hash, a real verification is still
    run, so the time taken does not tell whether a username exists."""
    hasher = _hasher()
    with _hashing:
        try:
            dummy = _dummy_hash(hasher)
            return hasher.verify(password_hash or dummy, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False


def _hasher() -> PasswordHasher:
    settings = get_settings()
    return _hasher_costing(settings.password_hash_time_cost, settings.password_hash_memory_kib)


@functools.cache
def _hasher_costing(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    # At the settings' cost, so that checking it takes as long as checking a real hash.
    return hasher.hash("not-a-real-password")


@functools.cache
def _common() -> frozenset[str]:
    text = resources.files("repatria.services").joinpath("data/common-passwords.txt").read_text()
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def check_policy(password: str, username: str, field: str = "password") -> None:
    """Refuse a password that is too short or long, one of the most common, or the username."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidInput(
            field, N_("must be %(least)s to %(most)s characters"), least=MIN_LENGTH, most=MAX_LENGTH
        )
    if password.casefold() in _common() or username.casefold() in password.casefold():
        raise InvalidInput(field, N_("is too easy to guess: a common password or the username"))
