"""The messages repository on SQLAlchemy (services/ports/messages.py): the exchange's outbox
and inbox."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.services.ports.messages import Incoming, Outgoing

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork

_OUTBOX = t.exchange_outbox
_INBOX = t.exchange_inbox


class SqlMessages:
    """The outbox and the inbox in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def last_sent_seq(self, peer_state: str) -> int:
        """The highest sequence number queued for the peer (0: none yet)."""
        query = select(func.max(_OUTBOX.c.seq)).where(_OUTBOX.c.peer_state == peer_state)
        return int(self._uow.session.scalar(query) or 0)

    def queue(
        self,
        peer_state: str,
        *,
        seq: int,
        message_id: str,
        kind: str,
        case_reference: str,
        checkpoint_size: int | None,
        envelope: str,
        created_at: datetime,
    ) -> None:
        """Put a signed envelope in the outbox, due at once."""
        self._uow.session.execute(
            _OUTBOX.insert().values(
                peer_state=peer_state,
                seq=seq,
                message_id=message_id,
                kind=kind,
                case_reference=case_reference,
                checkpoint_size=checkpoint_size,
                envelope=envelope,
                created_at=created_at,
                attempts=0,
                next_attempt_at=created_at,
            )
        )

    def last_carried_checkpoint(self, peer_state: str) -> int | None:
        """The size of the checkpoint our latest envelope to the peer carried (None: none did)."""
        return self._uow.session.scalar(
            select(_OUTBOX.c.checkpoint_size)
            .where(_OUTBOX.c.peer_state == peer_state, _OUTBOX.c.checkpoint_size.is_not(None))
            .order_by(_OUTBOX.c.seq.desc())
            .limit(1)
        )

    def waiting(self, peer_state: str) -> int:
        """How many messages to the peer are not yet delivered."""
        query = select(func.count()).where(
            _OUTBOX.c.peer_state == peer_state, _OUTBOX.c.delivered_at.is_(None)
        )
        return int(self._uow.session.scalar(query) or 0)

    def first_waiting_error(self, peer_state: str) -> str | None:
        """Why the first undelivered message to the peer failed last, if it did."""
        return self._uow.session.scalar(
            select(_OUTBOX.c.last_error)
            .where(_OUTBOX.c.peer_state == peer_state, _OUTBOX.c.delivered_at.is_(None))
            .order_by(_OUTBOX.c.seq)
            .limit(1)
        )

    def undelivered(self, peer_state: str, limit: int) -> list[Outgoing]:
        """The first `limit` undelivered messages to the peer, in sequence order."""
        rows = self._uow.session.execute(
            select(
                _OUTBOX.c.id,
                _OUTBOX.c.seq,
                _OUTBOX.c.envelope,
                _OUTBOX.c.attempts,
                _OUTBOX.c.next_attempt_at,
            )
            .where(_OUTBOX.c.peer_state == peer_state, _OUTBOX.c.delivered_at.is_(None))
            .order_by(_OUTBOX.c.seq)
            .limit(limit)
        )
        return [Outgoing(r.id, r.seq, r.envelope, r.attempts, r.next_attempt_at) for r in rows]

    def delivered(self, message: int, at: datetime) -> None:
        """The message reached its peer."""
        self._update_outgoing(message, delivered_at=at, last_error=None)

    def failed(self, message: int, *, attempts: int, next_attempt_at: datetime, error: str) -> None:
        """The message did not reach its peer: tried again from `next_attempt_at`."""
        self._update_outgoing(
            message, attempts=attempts, next_attempt_at=next_attempt_at, last_error=error
        )

    def _update_outgoing(self, message: int, **values: object) -> None:
        self._uow.session.execute(_OUTBOX.update().where(_OUTBOX.c.id == message).values(**values))

    def last_received_seq(self, peer_state: str) -> int:
        """The highest sequence number received from the peer (0: none yet)."""
        query = select(func.max(_INBOX.c.seq)).where(_INBOX.c.peer_state == peer_state)
        return int(self._uow.session.scalar(query) or 0)

    def received_envelope(self, message_id: str) -> str | None:
        """The envelope received under that message id, or None."""
        query = select(_INBOX.c.envelope).where(_INBOX.c.message_id == message_id)
        return self._uow.session.scalar(query)

    def seq_taken(self, peer_state: str, seq: int) -> bool:
        """Whether a message from the peer with that sequence number was received."""
        query = select(_INBOX.c.message_id).where(
            _INBOX.c.peer_state == peer_state, _INBOX.c.seq == seq
        )
        return self._uow.session.scalar(query) is not None

    def receive(
        self,
        peer_state: str,
        *,
        seq: int,
        message_id: str,
        kind: str,
        envelope: str,
        received_at: datetime,
    ) -> None:
        """Keep an envelope received from the peer, verbatim, not yet acted on."""
        self._uow.session.execute(
            _INBOX.insert().values(
                peer_state=peer_state,
                seq=seq,
                message_id=message_id,
                kind=kind,
                envelope=envelope,
                received_at=received_at,
            )
        )

    def received(self, peer_state: str, seq: int) -> Incoming | None:
        """The message from the peer with that sequence number, if it is here."""
        row = self._uow.session.execute(
            select(_INBOX.c.id, _INBOX.c.envelope).where(
                _INBOX.c.peer_state == peer_state, _INBOX.c.seq == seq
            )
        ).first()
        return None if row is None else Incoming(row.id, row.envelope)

    def processed(self, message: int, at: datetime) -> None:
        """The received message was acted on."""
        self._uow.session.execute(
            _INBOX.update().where(_INBOX.c.id == message).values(processed_at=at)
        )
