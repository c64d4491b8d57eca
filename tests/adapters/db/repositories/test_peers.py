"""The peers repository keeps one contract, on SQLite, on PostgreSQL and in memory
(tests/services/exchange/fakes.py): a peer as stored with its keys in the order pinned, a key
pinned again only changing its last day, the exchange stopped with its first reason, the
inbound sequence held and moved, and the newest checkpoint a peer showed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from repatria.domain.errors import Conflict
from tests.adapters.db.repositories.conftest import Units

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql", "memory"], indirect=True)
ADDED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ENVELOPE_KEY, CHECKPOINT_KEY, SUCCESSOR = "a" * 64, "b" * 64, "c" * 64


def _add_us(units: Units, next_in_seq: int = 1) -> None:
    with units() as uow:
        uow.peers.add("US", "http://127.0.0.1:9", added_at=ADDED, next_in_seq=next_in_seq)
        uow.peers.pin("US", "exchange", ENVELOPE_KEY, "kid-a", None)
        uow.peers.pin("US", "checkpoint", CHECKPOINT_KEY, "kid-b", None)
        uow.commit()


def test_a_peer_is_found_with_its_keys_in_the_order_they_were_pinned(units: Units) -> None:
    _add_us(units, next_in_seq=4)
    with units() as uow:
        uow.peers.pin("US", "exchange", SUCCESSOR, "kid-c", None)
        uow.peers.pin("US", "exchange", ENVELOPE_KEY, "kid-a", date(2026, 12, 31))
        uow.peers.readdress("US", "https://repatria.example.gov")
        uow.commit()
    with units() as uow:
        peer = uow.peers.find("US")
        assert uow.peers.find("MX") is None
    assert peer is not None
    assert (peer.base_url, peer.added_at, peer.next_in_seq) == (
        "https://repatria.example.gov",
        ADDED,
        4,
    )
    assert [(k.purpose, k.public_key, k.key_id, k.accepted_until) for k in peer.keys] == [
        ("exchange", ENVELOPE_KEY, "kid-a", date(2026, 12, 31)),
        ("checkpoint", CHECKPOINT_KEY, "kid-b", None),
        ("exchange", SUCCESSOR, "kid-c", None),
    ]


def test_a_stopped_exchange_keeps_its_first_reason_until_it_is_resumed(units: Units) -> None:
    _add_us(units)
    with units() as uow:
        uow.peers.add("GT", "http://127.0.0.1:10", added_at=ADDED, next_in_seq=1)
        uow.peers.halt("US", at=ADDED, reason="its log shrank")
        uow.peers.halt("US", at=datetime(2026, 3, 3, tzinfo=UTC), reason="its log was rewritten")
        uow.commit()
    with units() as uow:
        stopped = uow.peers.find("US")
        assert uow.peers.halted() == {"US"}
        assert uow.peers.reachable() == [("GT", "http://127.0.0.1:10")]
        assert uow.peers.states() == ["GT", "US"]
        assert uow.peers.one_of(["MX", "US"]) == "US" and uow.peers.one_of(["MX"]) is None
        uow.peers.resume("US")
        uow.commit()
    assert stopped is not None and (stopped.halted_at, stopped.halted_reason) == (
        ADDED,
        "its log shrank",
    )
    with units() as uow:
        assert uow.peers.halted() == set()


def test_the_inbound_sequence_is_held_and_moved_and_a_removed_peer_is_forgotten(
    units: Units,
) -> None:
    _add_us(units)
    with units() as uow:
        assert uow.peers.hold("US") == 1 and uow.peers.hold("MX") is None
        uow.peers.expect_next("US", 7)
        uow.commit()
    with units() as uow:
        assert uow.peers.hold("US") == 7
        uow.peers.remove("US")
        uow.commit()
    with units() as uow:
        assert uow.peers.find("US") is None and uow.peers.states() == []
        uow.peers.add("US", "http://127.0.0.1:9", added_at=ADDED, next_in_seq=7)
        readded = uow.peers.find("US")
    assert readded is not None and readded.keys == ()


def test_the_newest_checkpoint_a_peer_showed_is_found_and_one_size_is_kept_once(
    units: Units,
) -> None:
    _add_us(units)
    with units() as uow:
        assert uow.peers.last_checkpoint("US") is None
        for size, root in ((12, b"\x01" * 32), (40, b"\x02" * 32), (25, b"\x03" * 32)):
            uow.peers.keep_checkpoint(
                "US",
                tree_size=size,
                root_hash=root,
                note=f"note {size}",
                message_id=f"m{size}",
                received_at=ADDED,
            )
        uow.commit()
    with units() as uow:
        seen = uow.peers.last_checkpoint("US")
        assert seen is not None
        assert (seen.tree_size, seen.root_hash, seen.received_at) == (40, b"\x02" * 32, ADDED)
        with pytest.raises(Conflict):
            uow.peers.keep_checkpoint(
                "US",
                tree_size=40,
                root_hash=b"\x04" * 32,
                note="another note",
                message_id="m41",
                received_at=ADDED,
            )
