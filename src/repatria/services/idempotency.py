"""Idempotent commands: a retried request with the same Idempotency-Key acts once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from repatria.adapters.db import tables as t
from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
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
    row = uow.session.execute(
        select(
            t.idempotency_keys.c.fingerprint,
            t.idempotency_keys.c.status_code,
            t.idempotency_keys.c.body,
        ).where(t.idempotency_keys.c.user_id == principal.user_id, t.idempotency_keys.c.key == key)
    ).one_or_none()
    if row is None:
        return None
    if row.fingerprint != print_:
        raise InvalidInput("Idempotency-Key", "already used for a different request")
    return StoredAnswer(row.status_code, row.body)


def remember(
    uow: UnitOfWork, principal: Principal, key: str, print_: str, status_code: int, body: Any
) -> None:
    """Store the answer in the command's own transaction (call just before commit)."""
    uow.session.execute(
        insert(t.idempotency_keys).values(
            user_id=principal.user_id,
            key=key,
            fingerprint=print_,
            status_code=status_code,
            body=body,
            created_at=utcnow(),
        )
    )
