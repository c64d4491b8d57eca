"""Idempotent commands: a retried request with the same Idempotency-Key acts once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
from repatria.i18n import N_
from repatria.services.ports.idempotency import Remembered
from repatria.services.unit_of_work import UnitOfWork, utcnow


@dataclass(frozen=True)
class StoredAnswer:
    """The first answer given to a request under a key."""

    status_code: int
    body: Any


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What identifies a request, so one key cannot be reused for a different one."""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def lookup(uow: UnitOfWork, principal: Principal, key: str, print_: str) -> StoredAnswer | None:
    """The stored answer for this user's key, if any; a different request under it is refused."""
    stored = uow.idempotency.answer(principal.user_id, key)
    if stored is None:
        return None
    if stored.fingerprint != print_:
        raise InvalidInput("Idempotency-Key", N_("already used for a different request"))
    return StoredAnswer(stored.status_code, stored.body)


def remember(
    uow: UnitOfWork, principal: Principal, key: str, print_: str, status_code: int, body: Any
) -> None:
    """Store the answer in the command's own transaction (call just before commit)."""
    answered = Remembered(print_, status_code, body)
    uow.idempotency.remember(principal.user_id, key, answered, created_at=utcnow())
