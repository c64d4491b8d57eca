"""The audit repository: what the services read of the record (its events, the log's head and
leaves, signed checkpoints and their C2SP notes) and the checks of the stored rows that only the
database can make. Events are appended by the unit of work at commit, never through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from repatria.domain.audit_checkpoints import Checkpoint
from repatria.domain.audit_verify import LogShape
from repatria.domain.checkpoint_requests import CheckpointRequest
from repatria.domain.events import Event


@dataclass(frozen=True)
class LogHead:
    """The log's head row: how many events it holds and their root."""

    size: int
    root_hash: bytes


@dataclass(frozen=True)
class SignedNote:
    """A checkpoint as the C2SP signed note that crosses the border."""

    tree_size: int
    note: str


@dataclass(frozen=True)
class StrayRow:
    """An event row without a valid place in the log: no or a negative seq, or one beyond
    the head."""

    id: int
    seq: int | None


@dataclass(frozen=True)
class RecordedEvent:
    """What an event recorded about its subject: its id, what it says after, and the states
    it names."""

    subject_id: str
    after: dict[str, Any] | None
    states: list[str]
    recorded_at: datetime


class AuditLog(Protocol):
    """Reads the record (and keeps its checkpoints) inside one unit of work."""

    def head(self) -> LogHead | None:
        """The log's head row, or None when it is missing."""
        ...

    def size(self) -> int:
        """How many events the log holds, by its head (0 without one)."""
        ...

    def event(self, event_id: int) -> Event | None:
        """One event of the record, or None."""
        ...

    def leaf_hashes(self, size: int) -> list[bytes]:
        """The leaf hashes of the events at positions below `size`, in order (fewer when
        rows are missing)."""
        ...

    def checkpoints(self) -> list[Checkpoint]:
        """Every signed checkpoint, smallest first."""
        ...

    def latest_checkpoint(self) -> Checkpoint | None:
        """The largest signed checkpoint, or None."""
        ...

    def checkpoint_at(self, tree_size: int) -> Checkpoint | None:
        """The checkpoint signed at that size, or None."""
        ...

    def keep_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store a checkpoint just signed."""
        ...

    def latest_note(self) -> SignedNote | None:
        """Our newest checkpoint as a signed note, or None."""
        ...

    def keep_note(self, tree_size: int, note: str) -> None:
        """Store a checkpoint's signed note."""
        ...

    def hash_rows(
        self, database_url: str, size: int, sizes: list[int], workers: int | None
    ) -> LogShape:
        """Every stored row of the log's first `size` positions rehashed, with the roots at
        `sizes` and the first row found wrong (in worker processes for a large log)."""
        ...

    def first_stray_row(self) -> StrayRow | None:
        """The first event row without a valid place in the log, by seq then id."""
        ...

    def derivation_problem(self) -> str | None:
        """Why an event's columns are no longer derived from its leaf as Repatria derives
        them (a table rebuilt behind the application's back), or None."""
        ...

    def add_checkpoint_request(self, requested_by: int, reason: str, at: datetime) -> int:
        """Store a request for a signed checkpoint; its id."""
        ...

    def checkpoint_requests(self, limit: int) -> list[CheckpointRequest]:
        """Every pending request and the latest answered ones, newest first."""
        ...

    def answer_checkpoint_requests(self, size: int, at: datetime) -> int:
        """Mark answered every pending request whose own event is in the signed tree."""
        ...

    def recorded_since(self, command: str, since: datetime, *, limit: int) -> list[RecordedEvent]:
        """The events of one command recorded since a moment, newest first, at most `limit`."""
        ...
