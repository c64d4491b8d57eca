"""One unit of work per use case: the change and its audit event commit together or not at all."""

from __future__ import annotations

from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from repatria.domain.accounts import Principal
from repatria.domain.events import Event


def utcnow() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


class UnitOfWork:
    """A database transaction that use cases open with `with uow:` and end with `uow.commit()`.

    Leaving the block without commit (or by an exception) rolls everything back, the events
    recorded inside it included.
    """

    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        """Make the change and its events durable."""
        self.session.commit()

    def record(
        self,
        principal: Principal,
        command: str,
        subject_type: str,
        subject_id: object,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reason: str = "",
        legal_basis: str = "",
        states: list[str] | None = None,
        occurred_at: datetime | None = None,
    ) -> Event:
        """Append an event to the record inside this transaction."""
        now = utcnow()
        event = Event(
            command=command,
            subject_type=subject_type,
            subject_id=str(subject_id),
            occurred_at=occurred_at or now,
            recorded_at=now,
            actor=principal.username,
            actor_id=principal.user_id,
            organisation_id=principal.organisation_id,
            before=before,
            after=after,
            reason=reason,
            legal_basis=legal_basis,
            states=sorted(set(states or [])),
        )
        self.session.add(event)
        return event
