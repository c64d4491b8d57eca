"""What a verified message does on the receiving side (services/exchange/receiving.py): the
other state's step on the case both share, recorded with the message; a message about a case
that is not where it expects is recorded and moves nothing, and the next one is still taken."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container, build
from repatria.domain.accounts import Principal
from repatria.services.exchange import inbox, peers
from repatria.settings import Settings, get_settings
from tests.services.exchange.sender import Sender

OPERATOR = Principal.system("operator")


@pytest.fixture
def database_content() -> str:
    return "demo"  # a US → Mexico case awaits Mexico's review


@pytest.fixture
def mexico() -> Sender:
    sender = Sender(state="MX", recipient="US")
    sender.grow(3)
    return sender


@pytest.fixture
def united_states(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, mexico: Sender
) -> Iterator[Container]:
    monkeypatch.setenv("REPATRIA_EXCHANGE_STATE", "US")
    get_settings.cache_clear()
    container = build(get_settings())
    with container.uow() as uow:
        peers.add(
            uow, OPERATOR, "MX", "http://127.0.0.1:9",
            keys=[(mexico.key.public_hex, None)],
            checkpoint_keys=[(mexico.checkpoint_public_hex, None)],
        )  # fmt: skip
        uow.commit()
    yield container
    container.dispose()


def case_at(container: Container, state: str) -> tuple[int, str]:
    with container.uow(read_only=True) as uow:
        row = uow.session.execute(
            select(t.cases.c.id, t.cases.c.reference).where(
                t.cases.c.state == state, t.cases.c.to_state == "MX"
            )
        ).first()
    assert row is not None
    return row.id, row.reference


def state_of(container: Container, case_id: int) -> str:
    with container.uow(read_only=True) as uow:
        return str(uow.session.scalar(select(t.cases.c.state).where(t.cases.c.id == case_id)))


def receive(container: Container, envelope: str) -> inbox.Outcome:
    with container.uow() as uow:
        outcome = inbox.receive(uow, container.settings, envelope)
        uow.commit()
    return outcome


def test_mexicos_refusal_denies_the_case_here_with_its_reasons(
    united_states: Container, mexico: Sender
) -> None:
    case_id, reference = case_at(united_states, "receiving_review")
    body = {"decision": "refuse", "decided_on": "2026-12-01", "reasons": "no equivalent offence"}
    outcome = receive(united_states, mexico.sign(mexico.claims("decision", body, reference)))
    assert outcome.result == "accepted", outcome.detail
    assert state_of(united_states, case_id) == "denied"
    with united_states.uow(read_only=True) as uow:
        decision = uow.session.execute(
            select(t.decisions).where(t.decisions.c.case_id == case_id, t.decisions.c.state == "MX")
        ).one()
        event = uow.session.execute(
            select(t.events).where(t.events.c.command == "CaseDenied")
            .where(t.events.c.subject_id == str(case_id))
        ).one()  # fmt: skip
    assert (decision.kind, decision.reasons) == ("deny", "no equivalent offence")
    assert event.actor == "peer:MX" and "message" in event.legal_basis


def test_a_message_about_a_case_elsewhere_in_its_lifecycle_moves_nothing_and_the_next_is_taken(
    united_states: Container, mexico: Sender
) -> None:
    case_id, reference = case_at(united_states, "receiving_review")
    arrival = mexico.sign(
        mexico.claims("arrival_confirmation", {"arrived_on": "2026-12-01"}, reference)
    )
    outcome = receive(united_states, arrival)
    assert outcome.result == "accepted" and "not acted on" in outcome.acted[0]
    assert state_of(united_states, case_id) == "receiving_review"
    body = {"decision": "approve", "decided_on": "2026-12-01", "reasons": "accepted"}
    receive(united_states, mexico.sign(mexico.claims("decision", body, reference)))
    assert state_of(united_states, case_id) == "consent_verification"


def test_a_withdrawal_from_the_other_state_withdraws_the_case_before_consent(
    united_states: Container, mexico: Sender
) -> None:
    case_id, reference = case_at(united_states, "receiving_review")
    body = {"on": "2026-12-01", "reason": "the person withdrew before Mexico's authorities"}
    receive(united_states, mexico.sign(mexico.claims("withdrawal", body, reference)))
    assert state_of(united_states, case_id) == "withdrawn"
