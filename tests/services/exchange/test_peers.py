"""Peers and the inbox's refusals as use cases on the in-memory unit of work
(tests/services/exchange/fakes.py): who configures a peer, how its keys are pinned and rotated,
how a stopped exchange is taken up again, and what the inbox refuses or holds without acting."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repatria.domain.accounts import Principal, Role
from repatria.domain.errors import InvalidInput, NotFound, PermissionDenied
from repatria.services.exchange import inbox, peers
from repatria.services.exchange.keys import ExchangeKey
from repatria.settings import Settings, get_settings
from tests.services.exchange.fakes import ExchangeStore, ExchangeUnitOfWork
from tests.services.exchange.sender import Sender, transfer_request

OPERATOR = Principal.system("operator")
MX_ADMIN = Principal(9, "mx-admin", Role.ADMIN, 2, "MX")
MX_OFFICER = Principal(6, "mx-case-officer", Role.CASE_OFFICER, 2, "MX")


@pytest.fixture
def us() -> Sender:
    sender = Sender()
    sender.grow(5)
    return sender


@pytest.fixture
def mexico() -> Settings:
    """The settings of Mexico's installation: it speaks for MX."""
    return get_settings().model_copy(update={"exchange_state": "MX"})


def add_us(store: ExchangeStore, us: Sender, **changes: object) -> peers.Peer:
    with ExchangeUnitOfWork(store) as uow:
        peer = peers.add(
            uow,
            OPERATOR,
            "us",
            "http://127.0.0.1:9/",
            keys=[(us.key.public_hex, None)],
            checkpoint_keys=[(us.checkpoint_public_hex, None)],
            **changes,  # type: ignore[arg-type]
        )
        uow.commit()
    return peer


def deliver(store: ExchangeStore, settings: Settings, envelope: str) -> inbox.Outcome:
    with ExchangeUnitOfWork(store) as uow:
        outcome = inbox.receive(uow, settings, envelope)
        uow.commit()
    return outcome


def reference() -> str:
    return f"US-MX-2026-{uuid.uuid4().hex[:10].upper()}"


def test_a_new_peer_is_stored_with_its_two_keys_and_recorded() -> None:
    store, us = ExchangeStore(), Sender()
    peer = add_us(store, us)
    assert (peer.state, peer.base_url, peer.next_in_seq) == ("US", "http://127.0.0.1:9", 1)
    assert [(k.purpose, k.public_key) for k in peer.keys] == [
        ("exchange", us.key.public_hex),
        ("checkpoint", us.checkpoint_public_hex),
    ]
    assert (peer.witness_status, peer.pending) == ("none yet", 0)
    added = store.events[-1]
    assert (added.command, added.subject_id, added.states) == ("PeerAdded", "US", ["US"])


def test_a_new_peer_without_its_checkpoint_key_is_refused_and_nothing_is_stored() -> None:
    store, us = ExchangeStore(), Sender()
    with ExchangeUnitOfWork(store) as uow, pytest.raises(InvalidInput) as refused:
        peers.add(uow, OPERATOR, "US", "http://127.0.0.1:9", keys=[(us.key.public_hex, None)])
    assert refused.value.field == "key"
    assert store.tables.peers == {} and store.events == []


def test_pinning_a_known_key_with_a_last_day_rotates_it_rather_than_pinning_it_twice() -> None:
    store, us = ExchangeStore(), Sender()
    add_us(store, us)
    successor = ExchangeKey(Ed25519PrivateKey.generate())
    with ExchangeUnitOfWork(store) as uow:
        rotated = peers.add(
            uow,
            OPERATOR,
            "US",
            "http://127.0.0.1:9",
            keys=[
                peers.parse_key(f"{us.key.public_hex}@2026-12-31", "exchange"),
                (successor.public_hex, None),
            ],
        )
        uow.commit()
    exchange_keys = [
        (k.public_key, k.accepted_until) for k in rotated.keys if k.purpose == "exchange"
    ]
    assert exchange_keys == [(us.key.public_hex, date(2026, 12, 31)), (successor.public_hex, None)]
    assert store.events[-1].command == "PeerUpdated"


def test_only_the_installations_operator_configures_peers_and_officers_do_not_see_them() -> None:
    store, us = ExchangeStore(), Sender()
    with ExchangeUnitOfWork(store) as uow, pytest.raises(PermissionDenied):
        peers.add(
            uow,
            MX_ADMIN,
            "US",
            "http://127.0.0.1:9",
            keys=[(us.key.public_hex, None)],
            checkpoint_keys=[(us.checkpoint_public_hex, None)],
        )
    add_us(store, us)
    with ExchangeUnitOfWork(store) as uow:
        assert [p.state for p in peers.list_peers(uow, MX_ADMIN)] == ["US"]
        with pytest.raises(PermissionDenied):
            peers.list_peers(uow, MX_OFFICER)


def test_a_stopped_exchange_is_taken_up_again_only_with_a_reason() -> None:
    store, us = ExchangeStore(), Sender()
    add_us(store, us)
    with ExchangeUnitOfWork(store) as uow:
        peers.halt(uow, OPERATOR, "US", "US's log shrank: it showed 40 events, now 12")
        uow.commit()
    with ExchangeUnitOfWork(store) as uow:
        assert peers.halted_states(uow) == {"US"}
        assert peers.get(uow, "US").witness_status == "broken"
        with pytest.raises(InvalidInput) as refused:
            peers.resume(uow, OPERATOR, "US", "  ")
        assert refused.value.field == "reason"
        resumed = peers.resume(uow, OPERATOR, "US", "the US had pinned the wrong key")
        uow.commit()
    assert resumed.halted_at is None and resumed.witness_status == "none yet"
    assert store.events[-1].before == {
        "halted_reason": "US's log shrank: it showed 40 events, now 12"
    }
    with ExchangeUnitOfWork(store) as uow, pytest.raises(InvalidInput) as again:
        peers.resume(uow, OPERATOR, "US", "once more")
    assert again.value.field == "state"


def test_a_message_from_a_state_that_is_no_peer_is_refused_recorded_and_not_kept(
    mexico: Settings, us: Sender
) -> None:
    store = ExchangeStore()
    envelope = us.sign(us.claims("transfer_request", transfer_request(), reference()))
    outcome = deliver(store, mexico, envelope)
    assert (outcome.status, outcome.result, outcome.ground) == (403, "refused", "not_a_peer")
    assert store.tables.inbox == [] and store.cases == {}
    refusal = store.events[-1]
    assert refusal.command == "ExchangeMessageRefused"
    assert refusal.after == {"ground": "not_a_peer", "envelope": envelope}


def test_an_early_arrival_is_held_and_a_peer_added_again_expects_the_message_after_it(
    mexico: Settings, us: Sender
) -> None:
    store = ExchangeStore()
    add_us(store, us)
    us.seq = 2  # messages 1 and 2 are still on their way
    held = deliver(
        store, mexico, us.sign(us.claims("transfer_request", transfer_request(), reference()))
    )
    assert (held.status, held.result) == (202, "held")
    assert [(r.seq, r.processed_at) for r in store.tables.inbox] == [(3, None)]
    assert store.cases == {}  # held, never acted on
    with ExchangeUnitOfWork(store) as uow:
        peers.remove(uow, OPERATOR, "US")
        uow.commit()
    with ExchangeUnitOfWork(store) as uow, pytest.raises(NotFound):
        peers.get(uow, "US")
    assert add_us(store, us).next_in_seq == 4


def test_a_sequence_number_already_received_is_refused_as_a_replay(
    mexico: Settings, us: Sender
) -> None:
    store = ExchangeStore()
    add_us(store, us)
    us.seq = 1
    first = us.claims("transfer_request", transfer_request(), reference())
    assert deliver(store, mexico, us.sign(first)).result == "held"
    us.seq = 1  # the same place in the sequence, another message
    replay = deliver(
        store, mexico, us.sign(us.claims("transfer_request", transfer_request(), reference()))
    )
    assert (replay.status, replay.ground) == (409, "replay")
    assert [r.message_id for r in store.tables.inbox] == [first["id"]]
