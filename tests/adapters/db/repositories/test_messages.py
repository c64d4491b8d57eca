"""The messages repository keeps one contract, on SQLite, on PostgreSQL and in memory
(tests/services/exchange/fakes.py): the outbox hands delivery its undelivered messages in
sequence order and keeps each attempt, and the inbox keeps what arrived, found by message id
and by sequence number, each received once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from repatria.domain.errors import Conflict
from repatria.services.unit_of_work import UnitOfWork
from tests.adapters.db.repositories.conftest import Units

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql", "memory"], indirect=True)
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _queue(uow: UnitOfWork, peer_state: str, seq: int, size: int | None = None) -> None:
    uow.messages.queue(
        peer_state,
        seq=seq,
        message_id=f"{peer_state}-{seq}",
        kind="transfer_request",
        case_reference=f"US-{peer_state}-{seq}",
        checkpoint_size=size,
        envelope=f"envelope {peer_state} {seq}",
        created_at=AT,
    )


def test_delivery_is_handed_the_undelivered_messages_in_sequence_order(units: Units) -> None:
    with units() as uow:
        assert uow.messages.last_sent_seq("MX") == 0
        for seq in (2, 1, 3):
            _queue(uow, "MX", seq, size=10 * seq if seq < 3 else None)
        _queue(uow, "GT", 1)
        uow.commit()
    with units() as uow:
        first, second = uow.messages.undelivered("MX", 2)
        assert uow.messages.last_sent_seq("MX") == 3 and uow.messages.waiting("MX") == 3
        assert uow.messages.last_carried_checkpoint("MX") == 20  # seq 3 carried none
        assert uow.messages.last_carried_checkpoint("GT") is None
    assert [(m.seq, m.envelope, m.attempts, m.next_attempt_at) for m in (first, second)] == [
        (1, "envelope MX 1", 0, AT),
        (2, "envelope MX 2", 0, AT),
    ]
    later = AT + timedelta(seconds=4)
    with units() as uow:
        uow.messages.delivered(first.id, AT)
        uow.messages.failed(second.id, attempts=1, next_attempt_at=later, error="503: busy")
        uow.commit()
    with units() as uow:
        waiting = uow.messages.undelivered("MX", 100)
        assert [(m.seq, m.attempts, m.next_attempt_at) for m in waiting] == [
            (2, 1, later),
            (3, 0, AT),
        ]
        assert uow.messages.waiting("MX") == 2
        assert uow.messages.first_waiting_error("MX") == "503: busy"
        assert uow.messages.first_waiting_error("GT") is None


def test_the_inbox_finds_a_message_by_id_and_by_sequence_and_receives_each_once(
    units: Units,
) -> None:
    with units() as uow:
        assert uow.messages.last_received_seq("US") == 0
        for seq in (1, 3):
            uow.messages.receive(
                "US",
                seq=seq,
                message_id=f"m{seq}",
                kind="decision",
                envelope=f"envelope {seq}",
                received_at=AT,
            )
        uow.commit()
    with units() as uow:
        assert uow.messages.last_received_seq("US") == 3
        assert uow.messages.received_envelope("m3") == "envelope 3"
        assert uow.messages.received_envelope("m2") is None
        assert uow.messages.seq_taken("US", 1) and not uow.messages.seq_taken("US", 2)
        assert uow.messages.received("US", 2) is None
        found = uow.messages.received("US", 3)
        assert found is not None and found.envelope == "envelope 3"
        uow.messages.processed(found.id, AT)
        uow.commit()
    with units() as uow, pytest.raises(Conflict):
        uow.messages.receive(
            "US", seq=4, message_id="m3", kind="decision", envelope="again", received_at=AT
        )
