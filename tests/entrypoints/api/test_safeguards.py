"""Holds, protection orders and fear claims through the API: what each stops, and what lifting,
terminating or deciding it lets go on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.entrypoints.api.removals import (
    TODAY,
    WHY,
    clear,
    new_person,
    ok,
    open_removal,
    raise_fear_claim,
    state_of,
    step,
)

Clients = Callable[[str], TestClient]
HOLD = {"kind": "tro", "issued_on": TODAY.isoformat(), "court": "D. Ariz.", "reference": "26-118"}


def protect(officer: TestClient, person_id: int, country: str) -> dict[str, Any]:
    order = {"kind": "withholding", "country": country, "issued_on": TODAY.isoformat()}
    return ok(officer.post(f"/api/v1/people/{person_id}/protection-orders", json=order), 201)


def hold(officer: TestClient, person_id: int) -> dict[str, Any]:
    return ok(officer.post(f"/api/v1/people/{person_id}/holds", json=HOLD), 201)


def lift(officer: TestClient, person_id: int, hold_id: int, **headers: str) -> Any:
    body = {"lifted_on": TODAY.isoformat(), **WHY}
    url = f"/api/v1/people/{person_id}/holds/{hold_id}/lift"
    return officer.post(url, json=body, headers=headers)


def terminate(officer: TestClient, person_id: int, order_id: int, **headers: str) -> Any:
    body = {"terminated_on": TODAY.isoformat(), **WHY}
    url = f"/api/v1/people/{person_id}/protection-orders/{order_id}/terminate"
    return officer.post(url, json=body, headers=headers)


def decide(officer: TestClient, person_id: int, claim_id: int, outcome: str, **headers: str) -> Any:
    body = {"outcome": outcome, "decided_on": TODAY.isoformat(), **WHY}
    url = f"/api/v1/people/{person_id}/fear-claims/{claim_id}/decide"
    return officer.post(url, json=body, headers=headers)


@pytest.fixture
def officer(client_for: Clients) -> TestClient:
    return client_for("us-case-officer")


@pytest.fixture
def person_id(officer: TestClient) -> int:
    return new_person(officer)


def test_a_protection_order_blocks_a_case_to_that_country(
    officer: TestClient, person_id: int
) -> None:
    case_id = open_removal(officer, person_id, "MX")
    ok(step(officer, case_id, "designate_destination"))
    answer = protect(officer, person_id, "MX")
    assert len(answer["stopped_cases"]) == 1
    assert state_of(officer, case_id) == "blocked"


def test_a_protection_order_does_not_stop_a_case_to_another_country(
    officer: TestClient, person_id: int
) -> None:
    case_id = open_removal(officer, person_id, "GT")
    ok(step(officer, case_id, "designate_destination"))
    assert protect(officer, person_id, "MX")["stopped_cases"] == []
    assert state_of(officer, case_id) == "destination_designated"


def test_a_terminated_protection_order_lets_the_blocked_case_resume(
    officer: TestClient, person_id: int
) -> None:
    case_id = open_removal(officer, person_id, "MX")
    order = protect(officer, person_id, "MX")["protection_order"]
    ok(terminate(officer, person_id, order["id"]))
    assert ok(step(officer, case_id, "resume", "protection ended"))["case"]["state"] == (
        "order_final"
    )


def test_a_fear_claim_blocks_the_persons_open_removals_to_that_country(
    officer: TestClient, person_id: int
) -> None:
    to_mexico = open_removal(officer, person_id, "MX")
    to_guatemala = open_removal(officer, person_id, "GT")
    raise_fear_claim(officer, to_mexico)
    assert state_of(officer, to_mexico) == "blocked"
    assert state_of(officer, to_guatemala) == "order_final"


def test_a_fear_claim_granted_is_a_protection_order_that_keeps_the_case_blocked(
    officer: TestClient, person_id: int
) -> None:
    case_id = open_removal(officer, person_id, "MX")
    claim_id = raise_fear_claim(officer, case_id)
    decided = ok(decide(officer, person_id, claim_id, "granted"))
    assert decided["protection_order"]["country"] == "MX"
    refused = step(officer, case_id, "resume", "claim decided")
    assert refused.status_code == 409
    assert {c["ground"] for c in refused.json()["checks"]} == {"PROTECTION_ORDER"}
    assert state_of(officer, case_id) == "blocked"


def test_a_fear_claim_denied_lets_the_blocked_case_resume_and_pass(
    officer: TestClient, person_id: int
) -> None:
    case_id = open_removal(officer, person_id, "MX")
    claim_id = raise_fear_claim(officer, case_id)
    assert ok(decide(officer, person_id, claim_id, "denied"))["protection_order"] is None
    ok(step(officer, case_id, "resume", "claim denied"))
    clear(officer, case_id)
    assert state_of(officer, case_id) == "cleared"


def test_a_blocked_case_may_not_resume_while_its_hold_stands(
    officer: TestClient, person_id: int
) -> None:
    case_id = open_removal(officer, person_id)
    hold(officer, person_id)
    refused = step(officer, case_id, "resume", "the court will surely lift it")
    assert refused.status_code == 409
    assert {c["ground"] for c in refused.json()["checks"]} == {"HOLD"}


def test_a_lifted_hold_lets_the_blocked_case_resume_and_pass(
    officer: TestClient, person_id: int
) -> None:
    case_id = open_removal(officer, person_id)
    entered = hold(officer, person_id)
    assert state_of(officer, case_id) == "blocked"
    ok(lift(officer, person_id, entered["hold"]["id"]))
    ok(step(officer, case_id, "resume", "the TRO was dissolved"))
    clear(officer, case_id)
    assert state_of(officer, case_id) == "cleared"


def test_a_hold_is_lifted_only_once(officer: TestClient, person_id: int) -> None:
    entered = hold(officer, person_id)
    ok(lift(officer, person_id, entered["hold"]["id"]))
    assert lift(officer, person_id, entered["hold"]["id"]).status_code == 409


def test_only_the_state_holding_the_person_lifts_a_hold(
    client_for: Clients, officer: TestClient, person_id: int
) -> None:
    entered = hold(officer, person_id)
    open_removal(officer, person_id)  # Mexico sees the person through the case
    refused = lift(client_for("mx-case-officer"), person_id, entered["hold"]["id"])
    assert refused.status_code == 403


def _lift_it(officer: TestClient, person_id: int, **headers: str) -> Any:
    return lift(officer, person_id, hold(officer, person_id)["hold"]["id"], **headers)


def _terminate_it(officer: TestClient, person_id: int, **headers: str) -> Any:
    order = protect(officer, person_id, "MX")["protection_order"]
    return terminate(officer, person_id, order["id"], **headers)


def _decide_it(officer: TestClient, person_id: int, **headers: str) -> Any:
    claim_id = raise_fear_claim(officer, open_removal(officer, person_id))
    return decide(officer, person_id, claim_id, "denied", **headers)


COMMANDS = [
    pytest.param(_lift_it, "HoldLifted", id="lift-hold"),
    pytest.param(_terminate_it, "ProtectionOrderTerminated", id="terminate-protection-order"),
    pytest.param(_decide_it, "FearClaimDecided", id="decide-fear-claim"),
]


def _events(container: Container, command: str) -> list[Any]:
    with container.uow() as uow:
        return list(uow.session.execute(select(t.events).where(t.events.c.command == command)))


@pytest.mark.parametrize(("command", "event"), COMMANDS)
def test_each_safeguard_command_records_its_reason_and_legal_basis(
    officer: TestClient, person_id: int, container: Container, command: Any, event: str
) -> None:
    ok(command(officer, person_id))
    (recorded,) = _events(container, event)
    assert (recorded.reason, recorded.legal_basis) == (WHY["reason"], WHY["legal_basis"])
    assert recorded.actor == "us-case-officer"


@pytest.mark.parametrize(("command", "event"), COMMANDS)
def test_each_safeguard_command_acts_once_under_one_idempotency_key(
    officer: TestClient, person_id: int, container: Container, command: Any, event: str
) -> None:
    first = command(officer, person_id, **{"Idempotency-Key": f"{event}-1"})
    url, body = first.request.url, first.request.content
    again = officer.post(url, content=body, headers={"Idempotency-Key": f"{event}-1"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(_events(container, event)) == 1
