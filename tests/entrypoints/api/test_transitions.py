"""Case lifecycles through the API: every step checked by role, state and the law."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.domain.cases import CaseState
from repatria.domain.lifecycle import TREATY
from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.services import accounts, transitions
from repatria.services.commands import CreateUser
from tests.entrypoints.api.conftest import issue_token
from tests.treaty_case import FACTS, MEXICAN, TODAY

Clients = Callable[[str], TestClient]
CONSENT = {
    "verifier_name": "Hon. A. Magistrate",
    "verifier_role": "magistrate_judge",
    "verified_on": TODAY.isoformat(),
    "counsel": "present",
    "advisements": dict.fromkeys(REQUIRED_ADVISEMENTS, True),
    "given_by": "person",
    "consents": True,
    "recording_reference": "CVH-2026-0042",
}


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def step(client: TestClient, case_id: int, command: str, reason: str = "") -> Any:
    return client.post(
        f"/api/v1/cases/{case_id}/transitions", json={"command": command, "reason": reason}
    )


@pytest.fixture
def treaty_case(client_for: Clients) -> int:
    """A new US→MX treaty case in draft, with the facts the engine needs asserted."""
    return open_treaty_case(client_for)


def open_treaty_case(client_for: Clients) -> int:
    """Open a US→MX treaty case in draft and assert the facts the engine needs."""
    officer = client_for("us-case-officer")
    person = _ok(officer.post("/api/v1/people", json=MEXICAN), 201)
    case = _ok(
        officer.post(
            "/api/v1/cases",
            json={
                "person_id": person["id"],
                "authority": "us-mx-1976",
                "from_state": "US",
                "to_state": "MX",
            },
        ),
        201,
    )
    _ok(officer.put(f"/api/v1/cases/{case['id']}/facts", json=FACTS))
    return int(case["id"])


def advance_to_approved(client_for: Clients, case_id: int) -> None:
    officer = client_for("us-case-officer")
    _ok(step(officer, case_id, "submit"))
    _ok(step(officer, case_id, "screen"))
    _ok(step(client_for("us-reviewer"), case_id, "approve_sending"))
    _ok(step(client_for("mx-reviewer"), case_id, "approve_receiving"))
    _ok(
        client_for("us-verifier").post(
            f"/api/v1/cases/{case_id}/consent-verification", json=CONSENT
        ),
        201,
    )


def test_a_treaty_case_goes_from_draft_to_completed_on_a_movement(
    client_for: Clients, treaty_case: int
) -> None:
    advance_to_approved(client_for, treaty_case)
    officer = client_for("us-case-officer")
    movement = _ok(
        officer.post(
            "/api/v1/movements",
            json={
                "authority": "us-mx-1976",
                "from_state": "US",
                "to_state": "MX",
                "seats": 30,
                "planned_departure": f"{TODAY.isoformat()}T12:00:00Z",
            },
        ),
        201,
    )
    _ok(
        officer.post(f"/api/v1/movements/{movement['id']}/manifest", json={"case_id": treaty_case}),
        201,
    )
    assert (
        _ok(officer.post(f"/api/v1/movements/{movement['id']}/steps", json={"command": "lock"}))[
            "removed"
        ]
        == []
    )
    _ok(officer.post(f"/api/v1/movements/{movement['id']}/steps", json={"command": "depart"}))
    _ok(
        client_for("mx-case-officer").post(
            f"/api/v1/movements/{movement['id']}/steps", json={"command": "confirm_arrival"}
        )
    )
    timeline = _ok(officer.get(f"/api/v1/cases/{treaty_case}/timeline"))
    assert timeline["state"] == "completed"
    commands = [e["command"] for e in timeline["events"]]
    assert commands[-1] == "CaseArrivalConfirmed" and "CaseConsentVerified" in commands
    assert all(
        e["legal_basis"].startswith("assessment ")
        for e in timeline["events"]
        if e["command"].startswith("Case") and e["command"] not in {"CaseFactsAsserted"}
    )


@pytest.mark.parametrize("transition", TREATY, ids=lambda t: t.command)
def test_a_command_is_refused_from_every_state_it_is_not_drawn_from(
    client_for: Clients, treaty_case: int, transition: Any
) -> None:
    # The case sits in draft: only the commands drawn from draft exist there.
    response = step(client_for("us-case-officer"), treaty_case, transition.command, "why")
    if CaseState.DRAFT in transition.sources:
        assert response.status_code in (200, 403), response.text
    else:
        assert response.status_code in (409, 403), response.text
        if transition.roles == {"case_officer"} and transition.side.value == "sending":
            assert response.status_code == 409


def test_the_reviewer_who_prepared_a_decision_may_not_take_it(
    client_for: Clients, treaty_case: int
) -> None:
    officer = client_for("us-case-officer")
    _ok(step(officer, treaty_case, "submit"))
    _ok(step(officer, treaty_case, "screen"))
    reviewer = client_for("us-reviewer")
    _ok(step(reviewer, treaty_case, "prepare_sending", "rehabilitation prospects good"))
    refused = step(reviewer, treaty_case, "approve_sending")
    assert refused.status_code == 403 and "separation of duties" in refused.json()["detail"]
    assert _ok(officer.get(f"/api/v1/cases/{treaty_case}"))["state"] == "sending_review"


@pytest.fixture
def second_us_reviewer(container: Container) -> str:
    """Another reviewer of the United States, beside the demo's us-reviewer."""
    command = CreateUser(
        username="us-reviewer-2",
        display_name="Second US reviewer",
        password="correct horse battery staple",
        role=Role.REVIEWER,
        organisation_code="us-iptu",
    )
    with container.uow() as uow:
        accounts.create_user(uow, Principal.system("test"), command)
        uow.commit()
    return command.username


def test_a_reviewer_who_prepared_a_decision_may_not_take_it_after_another_prepared_it_again(
    client_for: Clients, treaty_case: int, second_us_reviewer: str
) -> None:
    officer = client_for("us-case-officer")
    _ok(step(officer, treaty_case, "submit"))
    _ok(step(officer, treaty_case, "screen"))
    first, second = client_for("us-reviewer"), client_for(second_us_reviewer)
    _ok(step(first, treaty_case, "prepare_sending", "rehabilitation prospects good"))
    _ok(step(second, treaty_case, "prepare_sending", "family in Guadalajara confirmed"))
    refused = step(first, treaty_case, "approve_sending")
    assert refused.status_code == 403 and "separation of duties" in refused.json()["detail"]
    assert _ok(officer.get(f"/api/v1/cases/{treaty_case}"))["state"] == "sending_review"


def test_a_reviewer_decides_only_for_their_own_state(client_for: Clients, treaty_case: int) -> None:
    officer = client_for("us-case-officer")
    _ok(step(officer, treaty_case, "submit"))
    _ok(step(officer, treaty_case, "screen"))
    assert step(client_for("mx-reviewer"), treaty_case, "approve_sending").status_code == 403


def test_denial_requires_a_reason(client_for: Clients, treaty_case: int) -> None:
    officer = client_for("us-case-officer")
    _ok(step(officer, treaty_case, "submit"))
    _ok(step(officer, treaty_case, "screen"))
    response = step(client_for("us-reviewer"), treaty_case, "deny")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
    denied = _ok(step(client_for("us-reviewer"), treaty_case, "deny", "law enforcement"))
    assert denied["case"]["state"] == "denied"


def test_withdrawal_after_verified_consent_is_refused_with_the_citation(
    client_for: Clients, treaty_case: int
) -> None:
    advance_to_approved(client_for, treaty_case)
    response = step(client_for("us-case-officer"), treaty_case, "withdraw", "changed mind")
    assert response.status_code == 409
    assert "4107" in response.json()["citation"]


def test_withdrawal_before_consent_is_verified_is_allowed(
    client_for: Clients, treaty_case: int
) -> None:
    officer = client_for("us-case-officer")
    _ok(step(officer, treaty_case, "submit"))
    assert _ok(step(officer, treaty_case, "withdraw", "wants to stay"))["case"]["state"] == (
        "withdrawn"
    )


def test_screening_refuses_an_ineligible_case_with_failing_checks_and_citations(
    client_for: Clients, treaty_case: int
) -> None:
    officer = client_for("us-case-officer")
    _ok(
        officer.put(
            f"/api/v1/cases/{treaty_case}/facts",
            json={"person_years_in_sending_state": 9, "person_intends_to_remain": True},
        )
    )
    _ok(step(officer, treaty_case, "submit"))
    refused = step(officer, treaty_case, "screen")
    assert refused.status_code == 409
    failing = refused.json()["checks"]
    assert {c["ground"] for c in failing} == {"DOMICILE"}
    assert all(c["citation"] for c in failing)
    assert _ok(officer.get(f"/api/v1/cases/{treaty_case}"))["state"] == "screening"


def test_a_hold_entered_while_scheduled_takes_the_person_off_at_lock_and_the_rest_go(
    client_for: Clients, treaty_case: int, request: pytest.FixtureRequest
) -> None:
    other = request.getfixturevalue("treaty_case_two")
    officer = client_for("us-case-officer")
    for case_id in (treaty_case, other):
        advance_to_approved(client_for, case_id)
    movement = _ok(
        officer.post(
            "/api/v1/movements",
            json={
                "authority": "us-mx-1976",
                "from_state": "US",
                "to_state": "MX",
                "seats": 2,
                "planned_departure": f"{TODAY.isoformat()}T12:00:00Z",
            },
        ),
        201,
    )
    for case_id in (treaty_case, other):
        _ok(
            officer.post(f"/api/v1/movements/{movement['id']}/manifest", json={"case_id": case_id}),
            201,
        )
    person_id = _ok(officer.get(f"/api/v1/cases/{treaty_case}"))["person_id"]
    hold = _ok(
        officer.post(
            f"/api/v1/people/{person_id}/holds",
            json={"kind": "tro", "issued_on": TODAY.isoformat(), "court": "D. Example"},
        ),
        201,
    )
    assert len(hold["stopped_cases"]) == 1
    assert _ok(officer.get(f"/api/v1/cases/{treaty_case}"))["state"] == "cancelled"
    locked = _ok(
        officer.post(f"/api/v1/movements/{movement['id']}/steps", json={"command": "lock"})
    )
    assert [r["case_id"] for r in locked["removed"]] == [treaty_case]
    assert locked["state"] == "manifest_locked"
    manifest = _ok(officer.get(f"/api/v1/movements/{movement['id']}"))["manifest"]
    assert [m["status"] for m in manifest] == ["removed", "aboard"]
    assert manifest[0]["removed_reason"]


@pytest.fixture
def treaty_case_two(client_for: Clients) -> int:
    officer = client_for("us-case-officer")
    person = _ok(officer.post("/api/v1/people", json={**MEXICAN, "given_names": "Pedro"}), 201)
    case = _ok(
        officer.post(
            "/api/v1/cases",
            json={
                "person_id": person["id"],
                "authority": "us-mx-1976",
                "from_state": "US",
                "to_state": "MX",
            },
        ),
        201,
    )
    _ok(officer.put(f"/api/v1/cases/{case['id']}/facts", json=FACTS))
    return int(case["id"])


def test_a_stale_version_loses_and_nothing_is_half_written(
    client_for: Clients, treaty_case: int
) -> None:
    officer = client_for("us-case-officer")
    version = _ok(officer.get(f"/api/v1/cases/{treaty_case}"))["version"]
    _ok(
        officer.post(
            f"/api/v1/cases/{treaty_case}/transitions",
            json={"command": "submit", "version": version},
        )
    )
    stale = officer.post(
        f"/api/v1/cases/{treaty_case}/transitions",
        json={"command": "withdraw", "reason": "x", "version": version},
    )
    assert stale.status_code == 409
    assert _ok(officer.get(f"/api/v1/cases/{treaty_case}"))["state"] == "screening"


def test_a_retried_request_with_the_same_idempotency_key_acts_once(
    client_for: Clients, treaty_case: int
) -> None:
    officer = client_for("us-case-officer")
    headers = {"Idempotency-Key": "submit-once-7"}
    first = officer.post(
        f"/api/v1/cases/{treaty_case}/transitions", json={"command": "submit"}, headers=headers
    )
    again = officer.post(
        f"/api/v1/cases/{treaty_case}/transitions", json={"command": "submit"}, headers=headers
    )
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
    events = _ok(officer.get(f"/api/v1/cases/{treaty_case}/timeline"))["events"]
    assert [e["command"] for e in events].count("CaseSubmitted") == 1
    reused = officer.post(
        f"/api/v1/cases/{treaty_case}/transitions",
        json={"command": "withdraw", "reason": "x"},
        headers=headers,
    )
    assert reused.status_code == 422


def _event_count(container: Container) -> int:
    with container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(t.events)) or 0)


def test_a_command_failing_after_it_changed_a_case_leaves_neither_the_change_nor_its_events(
    client_for: Clients, treaty_case: int, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = client_for("us-case-officer")
    first = _ok(officer.get(f"/api/v1/cases/{treaty_case}"))
    body = {k: first[k] for k in ("person_id", "authority", "from_state", "to_state")}
    second = _ok(officer.post("/api/v1/cases", json=body), 201)
    events_before = _event_count(container)
    # The hold cancels the first case, then fails while recording the second's cancellation,
    # after that case has been changed and flushed.
    named: list[str] = []
    real_event_name = transitions._event_name

    def failing_on_the_second(command: str) -> str:
        named.append(command)
        if len(named) == 2:
            raise RuntimeError("the database connection dropped")
        return real_event_name(command)

    monkeypatch.setattr(transitions, "_event_name", failing_on_the_second)
    with pytest.raises(RuntimeError):
        officer.post(
            f"/api/v1/people/{first['person_id']}/holds",
            json={"kind": "tro", "issued_on": TODAY.isoformat(), "court": "D. Example"},
        )
    monkeypatch.undo()
    assert named == ["cancel", "cancel"]
    assert _event_count(container) == events_before
    for case_id in (treaty_case, second["id"]):
        assert _ok(officer.get(f"/api/v1/cases/{case_id}"))["state"] == "draft"
    assert _ok(officer.get(f"/api/v1/people/{first['person_id']}"))["holds"] == []


def test_a_step_waits_for_another_writer_and_never_past_a_bound(
    client_for: Clients, treaty_case: int, container: Container, backend: str
) -> None:
    """SQLite: a step waits while another writer holds the database's write lock, then goes.
    PostgreSQL: a step waits for a case row another transaction holds only until the lock
    timeout, then answers 503 with Retry-After, having written nothing."""
    officer = client_for("us-case-officer")
    if backend == "sqlite":
        database = container.engine.url.database or ""
        other = sqlite3.connect(database, timeout=0, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        threading.Timer(0.3, other.commit).start()
        began = time.monotonic()
        assert step(officer, treaty_case, "submit").status_code == 200
        assert time.monotonic() - began >= 0.25
        other.close()
        return
    with container.engine.connect() as other:
        other.execute(select(t.cases).where(t.cases.c.id == treaty_case).with_for_update())
        refused = step(officer, treaty_case, "submit")
        other.rollback()
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] == "1"
    assert "nothing was written" in refused.json()["detail"]
    case = _ok(officer.get(f"/api/v1/cases/{treaty_case}"))
    assert case["state"] == "draft"
    assert step(officer, treaty_case, "submit").status_code == 200  # and then it goes


@contextmanager
def _served(app: object) -> Iterator[str]:
    """The application served by uvicorn on a loopback port, in a thread; its base URL."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        listening.close()


def test_a_step_waiting_for_a_lock_does_not_hold_up_the_health_check(
    app: object, treaty_case: int, container: Container, backend: str
) -> None:
    """Served by uvicorn, a transition that waits for another writer's lock (SQLite's write
    lock; on PostgreSQL the case's row, held by SELECT ... FOR UPDATE) waits in the thread
    pool: the health check of the same worker answers at once, and the step then goes."""
    token = issue_token(container, "us-case-officer", timedelta(days=1))
    auth = {"Authorization": f"Bearer {token}"}
    with _served(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/api/v1/health").status_code == 200
        held = threading.Event()
        release = threading.Event()

        def hold_the_lock() -> None:
            if backend == "sqlite":
                other = sqlite3.connect(container.engine.url.database or "", timeout=0)
                other.execute("BEGIN IMMEDIATE")
                held.set()
                release.wait(10)
                other.rollback()
                other.close()
                return
            with container.engine.connect() as other:
                other.execute(select(t.cases).where(t.cases.c.id == treaty_case).with_for_update())
                held.set()
                release.wait(10)
                other.rollback()

        holder = threading.Thread(target=hold_the_lock)
        holder.start()
        assert held.wait(10)
        answers: list[httpx.Response] = []
        path = f"/api/v1/cases/{treaty_case}/transitions"

        def take_the_step() -> None:
            with httpx.Client(base_url=base, timeout=30, headers=auth) as stepper:
                answers.append(stepper.post(path, json={"command": "submit"}))

        stepping = threading.Thread(target=take_the_step)
        stepping.start()
        time.sleep(0.2)  # the step is now waiting for the lock
        began = time.monotonic()
        health = client.get("/api/v1/health")
        took = time.monotonic() - began
        still_waiting = stepping.is_alive()
        release.set()
        holder.join(10)
        stepping.join(30)
    assert health.status_code == 200 and still_waiting
    assert took < 0.5, f"the health check took {took:.3f} s while a step waited for a lock"
    # Then the step goes (on PostgreSQL, had the lock outlived lock_timeout, it would have
    # stopped with 503 instead, having written nothing).
    assert answers[0].status_code in ((200,) if backend == "sqlite" else (200, 503)), answers[
        0
    ].text


def test_a_step_not_drawn_from_the_stage_is_explained_in_spanish_with_its_citation(
    client_for: Clients, treaty_case: int
) -> None:
    officer = client_for("us-case-officer")
    url = f"/api/v1/cases/{treaty_case}/transitions"
    body = {"command": "schedule", "reason": ""}
    english = officer.post(url, json=body)
    spanish = officer.post(url, json=body, headers={"Accept-Language": "es-MX"})
    assert english.status_code == spanish.status_code == 409
    assert english.json()["detail"].startswith("schedule is not possible from draft")
    assert spanish.json()["detail"].startswith("no es posible")
    assert "borrador" in spanish.json()["detail"]
    assert spanish.json().get("citation") == english.json().get("citation")
