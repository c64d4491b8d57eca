"""Time limits from the law data on each case, and the list of what is late."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.services import accounts, clock
from repatria.services.commands import CreateOrganisation, CreateUser

Clients = Callable[[str], TestClient]
TODAY = clock.today()


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def french_officer(container: Container) -> str:
    with container.uow() as uow:
        system = Principal.system("test")
        accounts.create_organisation(
            uow, system, CreateOrganisation(code="fr-dacg", name="France (test)", state="FR")
        )
        accounts.create_user(
            uow,
            system,
            CreateUser(
                username="fr-case-officer",
                display_name="FR officer",
                password="a long enough password",
                role=Role.CASE_OFFICER,
                organisation_code="fr-dacg",
            ),
        )
        uow.commit()
    return "fr-case-officer"


def _eu_case(client: TestClient, received_days_ago: int) -> int:
    person = _ok(
        client.post(
            "/api/v1/people",
            json={
                "family_name": "Weber",
                "given_names": "Jonas",
                "birth_date": "1990-05-01",
                "held_by_state": "FR",
                "citizenships": [{"country": "DE"}],
            },
        ),
        201,
    )
    case = _ok(
        client.post(
            "/api/v1/cases",
            json={
                "person_id": person["id"],
                "authority": "eu-fd-2008-909",
                "from_state": "FR",
                "to_state": "DE",
            },
        ),
        201,
    )
    received = (TODAY - timedelta(days=received_days_ago)).isoformat()
    _ok(client.put(f"/api/v1/cases/{case['id']}/facts", json={"request_received_on": received}))
    return int(case["id"])


def test_a_case_shows_its_decision_deadline_from_the_law_data(
    client_for: Clients, french_officer: str
) -> None:
    officer = client_for(french_officer)
    case_id = _eu_case(officer, received_days_ago=30)
    items = _ok(officer.get(f"/api/v1/cases/{case_id}/deadlines"))["items"]
    decision = next(d for d in items if d["name"] == "decision_days")
    assert decision["due_on"] == (TODAY + timedelta(days=60)).isoformat()
    assert decision["met"] is False and decision["days_late"] == 0
    assert "2008/909" in decision["citation"]
    assert _ok(officer.get("/api/v1/cases/overdue"))["items"] == []


def test_overdue_lists_a_late_case_in_scope_only(client_for: Clients, french_officer: str) -> None:
    officer = client_for(french_officer)
    case_id = _eu_case(officer, received_days_ago=100)
    late = _ok(officer.get("/api/v1/cases/overdue"))["items"]
    assert [(d["case_id"], d["name"], d["days_late"]) for d in late] == [
        (case_id, "decision_days", 10)
    ]
    assert _ok(client_for("us-case-officer").get("/api/v1/cases/overdue"))["items"] == []
    earlier = (TODAY - timedelta(days=20)).isoformat()
    assert _ok(officer.get("/api/v1/cases/overdue", params={"on": earlier}))["items"] == []


def test_a_treaty_without_time_limits_has_no_deadlines(client_for: Clients) -> None:
    officer = client_for("us-case-officer")
    page = _ok(officer.get("/api/v1/cases", params={"state": "draft"}))
    case_id = page["items"][0]["id"]
    assert _ok(officer.get(f"/api/v1/cases/{case_id}/deadlines"))["items"] == []
