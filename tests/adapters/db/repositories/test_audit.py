"""The audit repository keeps one contract, on SQLite, on PostgreSQL and in memory
(tests/services/exchange/fakes.py): the committed events are the log, each found with its
place in it and hashed as its leaf, the head holding their root; our checkpoints and their
signed notes are kept once each and found by size; an intact log has no stray row and no
column derived otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repatria.domain import merkle
from repatria.domain.accounts import Principal
from repatria.domain.audit import event_leaf_hash
from repatria.domain.audit_checkpoints import sign_checkpoint
from repatria.domain.errors import Conflict
from tests.adapters.db.repositories.conftest import Units

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql", "memory"], indirect=True)
ACTOR = Principal.system("test")
SIGNED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _record(units: Units, count: int) -> list[int]:
    with units() as uow:
        events = [
            uow.record(ACTOR, "OpenCase", "case", n, after={"n": n}, states=["US", "MX"])
            for n in range(count)
        ]
        uow.commit()
    ids = [event.id for event in events]
    assert all(isinstance(i, int) for i in ids)
    return ids  # type: ignore[return-value]


def test_the_committed_events_are_the_log_each_hashed_as_its_leaf(units: Units) -> None:
    with units() as uow:
        start = uow.audit.size()  # what the database began with (its migrations' events)
    ids = _record(units, 3)
    with units() as uow:
        size, head = uow.audit.size(), uow.audit.head()
        leaves = uow.audit.leaf_hashes(size)
        assert uow.audit.event(max(ids) + 1000) is None
        assert uow.audit.leaf_hashes(start + 1) == leaves[: start + 1]
        for position, event_id in enumerate(ids, start=start):
            event = uow.audit.event(event_id)
            assert event is not None and event.seq == position  # type: ignore[attr-defined]
            assert event_leaf_hash(event, position) == leaves[position]
    assert size == start + 3 and len(leaves) == size
    assert head is not None and (head.size, head.root_hash) == (size, merkle.tree_hash(leaves))


def test_checkpoints_and_notes_are_kept_once_each_and_found_by_size(units: Units) -> None:
    key = Ed25519PrivateKey.generate()
    with units() as uow:
        assert uow.audit.latest_checkpoint() is None and uow.audit.latest_note() is None
        for size in (4, 9, 6):
            uow.audit.keep_checkpoint(sign_checkpoint(key, size, bytes([size]) * 32, SIGNED_AT))
            uow.audit.keep_note(size, f"note {size}")
        uow.commit()
    with units() as uow:
        assert [c.tree_size for c in uow.audit.checkpoints()] == [4, 6, 9]
        latest, at_six = uow.audit.latest_checkpoint(), uow.audit.checkpoint_at(6)
        note = uow.audit.latest_note()
        assert uow.audit.checkpoint_at(5) is None
        with pytest.raises(Conflict):
            uow.audit.keep_checkpoint(sign_checkpoint(key, 9, b"\x00" * 32, SIGNED_AT))
    assert latest is not None and latest.tree_size == 9 and latest.signed_by(key.public_key())
    assert at_six is not None and at_six.root_hash == bytes([6]) * 32
    assert note is not None and (note.tree_size, note.note) == (9, "note 9")
