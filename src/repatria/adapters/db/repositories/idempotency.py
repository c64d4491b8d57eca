"""The idempotency repository on SQLAlchemy (services/ports/idempotency.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from repatria.adapters.db import tables as t
from repatria.services.ports.idempotency import Remembered

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork

_keys = t.idempotency_keys


class SqlIdempotency:
    """Idempotency in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def answer(self, user_id: int | None, key: str) -> Remembered | None:
        """The request the user answered under this key, if any."""
        row = self._uow.session.execute(
            select(_keys.c.fingerprint, _keys.c.status_code, _keys.c.body).where(
                _keys.c.user_id == user_id, _keys.c.key == key
            )
        ).one_or_none()
        return None if row is None else Remembered(row.fingerprint, row.status_code, row.body)

    def remember(
        self,
        user_id: int | None,
        key: str,
        answered: Remembered,
        *,
        created_at: datetime,
    ) -> None:
        """Store the answer under the user's key (a key taken meanwhile: Conflict)."""
        self._uow.session.execute(
            insert(_keys).values(
                user_id=user_id,
                key=key,
                fingerprint=answered.fingerprint,
                status_code=answered.status_code,
                body=answered.body,
                created_at=created_at,
            )
        )
