"""Password hashing, bounded in how many run at once, and the password policy."""

from __future__ import annotations

import functools
import threading
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from repatria.domain.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 200
# Each argon2 run takes 64 MiB and a quarter of a second of one core; a burst of parallel
# sign-ins would otherwise take as many of both as it has requests. Per worker process.
HASHES_AT_ONCE = 3
_hasher = PasswordHasher()
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    with _hashing:
        return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True when the password matches the hash; with no hash, a real verification is still
    run, so the time taken does not tell whether a username exists."""
    with _hashing:
        try:
            return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("not-a-real-password")


@functools.cache
def _common() -> frozenset[str]:
    text = resources.files("repatria.services").joinpath("data/common-passwords.txt").read_text()
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def check_policy(password: str, username: str, field: str = "password") -> None:
    """Refuse a password that is too short or long, one of the most common, or the username."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidInput(field, f"must be {MIN_LENGTH} to {MAX_LENGTH} characters")
    if password.casefold() in _common() or username.casefold() in password.casefold():
        raise InvalidInput(field, "is too easy to guess: a common password or the username")
