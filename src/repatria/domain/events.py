"""The append-only record of every change: who, when, what, why, on what legal basis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(eq=False)
class Event:
    """One recorded change; written in the same transaction as the change itself."""

    command: str
    subject_type: str
    subject_id: str
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    actor_id: int | None = None
    organisation_id: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str = ""
    legal_basis: str = ""
    states: list[str] = field(default_factory=list)
    id: int | None = None
