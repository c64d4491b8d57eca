"""The idempotency repository: the first answer given to a request under each user's key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Remembered:
    """A request answered under a key: what identified it and the answer given."""

    fingerprint: str
    status_code: int
    body: Any


class Idempotency(Protocol):
    """Reads and stores answers under Idempotency-Keys inside one unit of work."""

    def answer(self, user_id: int | None, key: str) -> Remembered | None:
        """The request the user answered under this key, if any."""
        ...

    def remember(
        self,
        user_id: int | None,
        key: str,
        answered: Remembered,
        *,
        created_at: datetime,
    ) -> None:
        """Store the answer under the user's key (a key taken meanwhile: Conflict)."""
        ...
