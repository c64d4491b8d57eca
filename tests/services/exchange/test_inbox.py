"""The inbox (services/exchange/inbox.py): a peer's signed message is acted on once, in order;
everything it must not trust is refused, recorded with the envelope, and never acted on."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container, build
from repatria.domain.accounts import Principal
from repatria.domain.cases import CaseState
from repatria.domain.errors import InvalidInput
from repatria.services.exchange import envelopes, inbox, peers
from repatria.services.exchange.keys import ExchangeKey
from repatria.settings import Settings, get_settings
from tests.services.exchange.sender import Sender, transfer_request

pytestmark = pytest.mark.storage  # SQLite and PostgreSQL: what it tests differs by database

OPERATOR = Principal.system("operator")


@pytest.fixture
def mexico(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Container]:
    """Mexico's installation: it speaks for MX."""
    monkeypatch.setenv("REPATRIA_EXCHANGE_STATE", "MX")
    get_settings.cache_clear()
    container = build(get_settings())
    yield container
    container.dispose()


@pytest.fixture
def us() -> Sender:
    sender = Sender()
    sender.grow(5)
    return sender


@pytest.fixture
def peered(mexico: Container, us: Sender) -> Container:
    """Mexico with the US pinned as its peer."""
    with mexico.uow() as uow:
        peers.add(
            uow,
            OPERATOR,
            "US",
            "http://127.0.0.1:9",
            keys=[(us.key.public_hex, None)],
            checkpoint_keys=[(us.checkpoint_public_hex, None)],
        )
        uow.commit()
    return mexico


def deliver(container: Container, envelope: str) -> inbox.Outcome:
    with container.uow() as uow:
        outcome = inbox.receive(uow, container.settings, envelope)
        uow.commit()
    return outcome


def reference() -> str:
    return f"US-MX-2026-{uuid.uuid4().hex[:10].upper()}"


def cases_received(container: Container) -> list[Any]:
    with container.uow(read_only=True) as uow:
        return list(uow.session.execute(select(t.cases).where(t.cases.c.from_state == "US")))


def refusals(container: Container) -> list[Any]:
    with container.uow(read_only=True) as uow:
        return list(
            uow.session.execute(
                select(t.events).where(t.events.c.command == "ExchangeMessageRefused")
            )
        )


def test_a_transfer_request_opens_a_case_awaiting_this_states_review(
    peered: Container, us: Sender
) -> None:
    ref = reference()
    outcome = deliver(peered, us.sign(us.claims("transfer_request", transfer_request(), ref)))
    assert (outcome.status, outcome.result) == (200, "accepted")
    [case] = [c for c in cases_received(peered) if c.reference == ref]
    assert case.state == CaseState.RECEIVING_REVIEW and case.to_state == "MX"
    with peered.uow(read_only=True) as uow:
        assessed = uow.session.scalar(
            select(func.count()).where(t.assessments.c.case_id == case.id)
        )
        kept = uow.session.scalar(
            select(t.exchange_inbox.c.envelope).where(t.exchange_inbox.c.seq == 1)
        )
    assert assessed == 1  # by Mexico's own copy of the law
    assert kept is not None and envelopes.verified(kept, us.key.private_key.public_key())


def test_the_same_envelope_twice_is_acted_on_once(peered: Container, us: Sender) -> None:
    envelope = us.sign(us.claims("transfer_request", transfer_request(), reference()))
    assert deliver(peered, envelope).result == "accepted"
    again = deliver(peered, envelope)
    assert (again.status, again.result) == (200, "duplicate")
    assert len(cases_received(peered)) == 1


def test_an_early_arrival_waits_for_its_predecessor_then_both_act_in_order(
    peered: Container, us: Sender
) -> None:
    first = us.sign(us.claims("transfer_request", transfer_request(), reference()))
    second = us.sign(us.claims("transfer_request", transfer_request(), reference()))
    held = deliver(peered, second)
    assert (held.status, held.result) == (202, "held")
    assert cases_received(peered) == []
    outcome = deliver(peered, first)
    assert outcome.result == "accepted" and len(outcome.acted) == 2
    assert len(cases_received(peered)) == 2


def refused(container: Container, envelope: str, status: int, ground: str) -> None:
    before = len(refusals(container))
    outcome = deliver(container, envelope)
    assert (outcome.status, outcome.ground) == (status, ground), outcome.detail
    assert cases_received(container) == []
    recorded = refusals(container)
    assert len(recorded) == before + 1
    assert recorded[-1].after["envelope"] == envelope  # kept verbatim


def test_a_tampered_envelope_is_refused_and_recorded(peered: Container, us: Sender) -> None:
    envelope = us.sign(us.claims("transfer_request", transfer_request(), reference()))
    header, _, signature = envelope.split(".")
    claims = envelopes.peek(envelope).claims
    claims["body"]["person"]["family_name"] = "Someone Else"
    forged = us.sign(claims, ExchangeKey(Ed25519PrivateKey.generate())).split(".")[1]
    refused(peered, f"{header}.{forged}.{signature}", 403, "bad_signature")


def test_a_message_signed_with_another_key_under_the_pinned_id_is_refused(
    peered: Container, us: Sender
) -> None:
    impostor = ExchangeKey(Ed25519PrivateKey.generate())
    claims = us.claims("transfer_request", transfer_request(), reference())
    envelope = envelopes.sign(claims, impostor)
    header = envelopes.sign(claims, us.key).split(".")[0]  # the pinned key's id
    refused(peered, f"{header}.{'.'.join(envelope.split('.')[1:])}", 403, "bad_signature")


def test_an_unknown_key_is_refused(peered: Container, us: Sender) -> None:
    claims = us.claims("transfer_request", transfer_request(), reference())
    refused(peered, us.sign(claims, ExchangeKey(Ed25519PrivateKey.generate())), 403, "unknown_key")


def test_a_key_past_its_accepted_until_date_is_refused(peered: Container, us: Sender) -> None:
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    with peered.uow() as uow:
        peers.add(uow, OPERATOR, "US", "http://127.0.0.1:9", keys=[(us.key.public_hex, yesterday)])
        uow.commit()
    claims = us.claims("transfer_request", transfer_request(), reference())
    refused(peered, us.sign(claims), 403, "retired_key")


def test_a_state_that_is_not_a_peer_is_refused(peered: Container) -> None:
    stranger = Sender(state="SV")
    refused(
        peered,
        stranger.sign(stranger.claims("withdrawal", {"on": "2026-12-01", "reason": "x"}, "R")),
        403,
        "not_a_peer",
    )


def test_a_payload_failing_its_schema_is_refused(peered: Container, us: Sender) -> None:
    body = transfer_request()
    del body["person"]["family_name"]
    refused(peered, us.sign(us.claims("transfer_request", body, reference())), 422, "schema")


def test_a_message_dated_beyond_the_clock_tolerance_is_refused(
    peered: Container, us: Sender
) -> None:
    later = envelopes.moment(datetime.now(UTC) + timedelta(hours=1))
    claims = us.claims("transfer_request", transfer_request(), reference(), iat=later)
    refused(peered, us.sign(claims), 422, "clock_skew")


def test_a_replayed_sequence_number_under_a_new_id_is_refused(
    peered: Container, us: Sender
) -> None:
    claims = us.claims("transfer_request", transfer_request(), reference())
    assert deliver(peered, us.sign(claims)).result == "accepted"
    replay = {**claims, "id": uuid.uuid4().hex}
    before = len(cases_received(peered))
    outcome = deliver(peered, us.sign(replay))
    assert (outcome.status, outcome.ground) == (409, "replay")
    assert len(cases_received(peered)) == before


def test_a_sequence_gap_beyond_the_limit_is_refused(peered: Container, us: Sender) -> None:
    claims = us.claims("transfer_request", transfer_request(), reference())
    claims["seq"] = 2 + peered.settings.exchange_max_gap
    refused(peered, us.sign(claims), 409, "sequence_gap")


def test_a_peer_whose_log_was_rewritten_is_caught_and_the_exchange_stops(
    peered: Container, us: Sender
) -> None:
    assert (
        deliver(
            peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
        ).result
        == "accepted"
    )
    us.leaves[2] = us.leaves[3]  # an event rewritten, the log then grown
    us.grow(3)
    outcome = deliver(
        peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
    )
    assert (outcome.status, outcome.ground) == (409, "witness")
    with peered.uow(read_only=True) as uow:
        peer = peers.get(uow, "US")
    assert peer.witness_status == "broken" and "rewritten" in (peer.halted_reason or "")
    # and nothing more is taken from it, however well signed
    us.leaves[2] = us.leaves[1]
    later = deliver(
        peered, us.sign(us.claims("withdrawal", {"on": "2026-12-01", "reason": "x"}, "R"))
    )
    assert (later.status, later.ground) == (409, "peer_halted")
    assert len(cases_received(peered)) == 1


def test_a_peer_whose_log_shrank_is_caught(peered: Container, us: Sender) -> None:
    assert (
        deliver(
            peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
        ).result
        == "accepted"
    )
    del us.leaves[3:]
    us.sent_size = None
    outcome = deliver(
        peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
    )
    assert (outcome.status, outcome.ground) == (409, "witness")
    assert "shrank" in outcome.detail


def test_a_growing_log_with_its_consistency_proof_is_witnessed(
    peered: Container, us: Sender
) -> None:
    for _ in range(3):
        outcome = deliver(
            peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
        )
        assert outcome.result == "accepted", outcome.detail
        us.grow(7)
    with peered.uow(read_only=True) as uow:
        peer = peers.get(uow, "US")
    assert peer.witness_status == "holding" and peer.witnessed_size == 5 + 14


def test_a_peer_removed_and_added_again_goes_on_from_the_messages_received(
    peered: Container, us: Sender
) -> None:
    assert (
        deliver(
            peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
        ).result
        == "accepted"
    )
    with peered.uow() as uow:
        peers.remove(uow, OPERATOR, "US")
        peers.add(
            uow, OPERATOR, "US", "http://127.0.0.1:9",
            keys=[(us.key.public_hex, None)],
            checkpoint_keys=[(us.checkpoint_public_hex, None)],
        )  # fmt: skip
        uow.commit()
    outcome = deliver(
        peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
    )
    assert outcome.result == "accepted", outcome.detail
    assert len(cases_received(peered)) == 2


def test_an_exchange_stopped_by_a_wrong_checkpoint_key_is_taken_up_again_once_fixed(
    peered: Container, us: Sender
) -> None:
    right_key = us.checkpoint_key
    us.checkpoint_key = Ed25519PrivateKey.generate()  # the US signs with a key Mexico lacks
    outcome = deliver(
        peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
    )
    assert (outcome.status, outcome.ground) == (409, "witness")
    us.checkpoint_key = right_key
    us.seq -= 1  # the same message, sent again under the key Mexico pinned
    with peered.uow() as uow:
        with pytest.raises(InvalidInput, match="reason"):
            peers.resume(uow, OPERATOR, "US", " ")
        peers.resume(uow, OPERATOR, "US", "the US had signed with a key it had not published")
        uow.commit()
    outcome = deliver(
        peered, us.sign(us.claims("transfer_request", transfer_request(), reference()))
    )
    assert outcome.result == "accepted", outcome.detail
    with peered.uow(read_only=True) as uow:
        assert peers.get(uow, "US").witness_status == "holding"


def test_a_request_under_an_authority_this_law_does_not_know_is_recorded_not_acted_on(
    peered: Container, us: Sender
) -> None:
    body = {**transfer_request(), "authority": "us-atlantis-2031"}
    outcome = deliver(peered, us.sign(us.claims("transfer_request", body, reference())))
    assert outcome.result == "accepted" and "no authority" in outcome.acted[0]
    assert cases_received(peered) == []
    then = deliver(peered, us.sign(us.claims("transfer_request", transfer_request(), reference())))
    assert then.result == "accepted" and len(cases_received(peered)) == 1  # the next is taken
