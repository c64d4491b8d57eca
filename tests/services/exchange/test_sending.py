"""What a step sends (services/exchange/sending.py): the sending state's approval queues the
transfer request, signed, in the step's own transaction, carrying only what the instrument
requires; a step that does not involve the other state sends nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container, build
from repatria.domain.accounts import Principal, User
from repatria.domain.lifecycle import TransitionNotAllowed
from repatria.services import accounts, transitions
from repatria.services.exchange import envelopes, peers
from repatria.services.exchange.outbox import exchange_key
from repatria.services.unit_of_work import utcnow
from repatria.settings import Settings, get_settings
from tests.services.exchange.sender import Sender

pytestmark = pytest.mark.storage  # SQLite and PostgreSQL: what it tests differs by database


@pytest.fixture
def database_content() -> str:
    return "demo"


@pytest.fixture
def united_states(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Container]:
    monkeypatch.setenv("REPATRIA_EXCHANGE_STATE", "US")
    get_settings.cache_clear()
    container = build(get_settings())
    mexico = Sender(state="MX", recipient="US")
    with container.uow() as uow:
        peers.add(
            uow, Principal.system("operator"), "MX", "http://127.0.0.1:9",
            keys=[(mexico.key.public_hex, None)],
            checkpoint_keys=[(mexico.checkpoint_public_hex, None)],
        )  # fmt: skip
        uow.commit()
    yield container
    container.dispose()


def principal(container: Container, username: str) -> Principal:
    with container.uow(read_only=True) as uow:
        user = uow.session.scalar(select(User).where(t.users.c.username == username))
        assert user is not None
        return accounts.principal_of(user)


def case_at(container: Container, state: str) -> int:
    with container.uow(read_only=True) as uow:
        query = select(t.cases.c.id).where(t.cases.c.state == state, t.cases.c.to_state == "MX")
        return int(uow.session.scalar(query) or 0)


def outbox(container: Container) -> list[object]:
    with container.uow(read_only=True) as uow:
        return list(uow.session.execute(select(t.exchange_outbox)))


def test_the_sending_states_approval_queues_the_signed_transfer_request(
    united_states: Container,
) -> None:
    case_id = case_at(united_states, "sending_review")
    reviewer = principal(united_states, "us-reviewer")
    with united_states.uow() as uow:
        transitions.take(
            uow, reviewer, case_id, transitions.Step("approve_sending", utcnow().date())
        )
        uow.commit()
    [queued] = outbox(united_states)
    assert (queued.peer_state, queued.seq, queued.kind) == ("MX", 1, "transfer_request")
    key = exchange_key(united_states.settings).private_key.public_key()
    assert envelopes.verified(queued.envelope, key)
    claims = envelopes.peek(queued.envelope).claims
    assert set(claims["body"]["person"]) == {
        "family_name",
        "given_names",
        "birth_date",
        "citizenships",
    }
    with united_states.uow(read_only=True) as uow:
        sent = uow.session.execute(
            select(t.events).where(t.events.c.command == "ExchangeMessageSent")
        ).one()
    assert sent.after["envelope"] == queued.envelope


def test_a_step_that_is_refused_sends_nothing(united_states: Container) -> None:
    case_id = case_at(united_states, "draft")  # not yet at the US review
    reviewer = principal(united_states, "us-reviewer")
    with united_states.uow() as uow, pytest.raises(TransitionNotAllowed):
        transitions.take(
            uow, reviewer, case_id, transitions.Step("approve_sending", utcnow().date())
        )
        uow.commit()
    assert outbox(united_states) == []


def test_a_step_that_does_not_involve_the_other_state_sends_nothing(
    united_states: Container,
) -> None:
    case_id = case_at(united_states, "draft")
    officer = principal(united_states, "us-case-officer")
    with united_states.uow() as uow:
        transitions.take(uow, officer, case_id, transitions.Step("submit", utcnow().date()))
        uow.commit()
    assert outbox(united_states) == []
