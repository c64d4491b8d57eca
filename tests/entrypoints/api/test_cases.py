"""Opening, reading and listing cases through the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from repatria.services import cases as cases_service
from repatria.services.demo import BATCH_YEARS_LEFT, OTHERS
from repatria.services.demo_cases import LIFECYCLE
from repatria.services.demo_law import THIRD_COUNTRY
from tests.entrypoints.api.test_people import PERSON


def _new_person(officer: TestClient) -> int:
    response = officer.post("/api/v1/people", json=PERSON)
    assert response.status_code == 201
    return int(response.json()["id"])


def test_opening_a_treaty_case_starts_it_as_a_draft_visible_to_both_states(
    client_for: Any,
) -> None:
    officer = client_for("us-case-officer")
    person_id = _new_person(officer)
    body = {"person_id": person_id, "authority": "us-mx-1976", "from_state": "US", "to_state": "MX"}
    created = officer.post("/api/v1/cases", json=body)
    assert created.status_code == 201
    case = created.json()
    assert case["state"] == "draft" and case["reference"].startswith("US-MX-")
    mexican = client_for("mx-reviewer")
    assert mexican.get(f"/api/v1/cases/{case['id']}").json() == case
    assert mexican.get(f"/api/v1/people/{person_id}").status_code == 200
    assert client_for("sv-reviewer").get(f"/api/v1/cases/{case['id']}").status_code == 404


def test_a_removal_case_starts_at_order_final(client_for: Any) -> None:
    officer = client_for("us-case-officer")
    body = {
        "person_id": _new_person(officer),
        "authority": "us-removal",
        "from_state": "US",
        "to_state": "MX",
    }
    assert officer.post("/api/v1/cases", json=body).json()["state"] == "order_final"


def test_an_unknown_authority_is_refused_naming_the_field(client_for: Any) -> None:
    officer = client_for("us-case-officer")
    body = {
        "person_id": _new_person(officer),
        "authority": "us-mars-2099",
        "from_state": "US",
        "to_state": "MX",
    }
    response = officer.post("/api/v1/cases", json=body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "authority", "reason": response.json()["errors"][0]["reason"]}
    ]
    assert "us-mars-2099" in response.json()["detail"]


def test_a_case_must_leave_from_the_state_holding_the_person(client_for: Any) -> None:
    officer = client_for("us-case-officer")
    body = {
        "person_id": _new_person(officer),
        "authority": "us-mx-1976",
        "from_state": "MX",
        "to_state": "US",
    }
    response = officer.post("/api/v1/cases", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from_state"


def test_cases_are_listed_newest_first_with_filters(client_for: Any) -> None:
    auditor = client_for("us-auditor")
    all_cases = auditor.get("/api/v1/cases?limit=500").json()
    ids = [c["id"] for c in all_cases["items"]]
    demo_cases = len(BATCH_YEARS_LEFT) + len(LIFECYCLE) + len(OTHERS) + len(THIRD_COUNTRY)
    assert ids == sorted(ids, reverse=True) and all_cases["total"] == demo_cases
    completed = auditor.get("/api/v1/cases?state=completed&authority=us-mx-1976").json()
    assert completed["total"] == 13
    to_venezuela = auditor.get("/api/v1/cases?counterpart=VE").json()
    assert [c["to_state"] for c in to_venezuela["items"]] == ["VE"]


def test_the_demo_leaves_a_treaty_case_at_every_state_of_its_lifecycle(client_for: Any) -> None:
    auditor = client_for("us-auditor")
    cases = auditor.get("/api/v1/cases?authority=us-mx-1976&limit=500").json()["items"]
    treaty_states = {
        "draft", "screening", "sending_review", "receiving_review", "consent_verification",
        "approved", "scheduled", "in_transit", "completed", "ineligible", "denied", "withdrawn",
        "cancelled",
    }  # fmt: skip
    assert {c["state"] for c in cases} == treaty_states
    movements = auditor.get("/api/v1/movements?limit=50").json()["items"]
    numbers = {m["sequence"]: m["state"] for m in movements if m["authority"] == "us-mx-1976"}
    assert numbers == {184: "closed", 185: "departed", 186: "planned"}


def test_a_reference_already_taken_is_never_given_again(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The random part repeats once (as it will, by chance, among enough cases): the second
    # case still opens, with another reference, instead of failing on the unique index.
    drawn = iter(["A1B2C3D4E5", "A1B2C3D4E5", "F6E5D4C3B2"])
    monkeypatch.setattr(cases_service.secrets, "token_hex", lambda _: next(drawn))
    officer = client_for("us-case-officer")
    body = {"authority": "us-mx-1976", "from_state": "US", "to_state": "MX"}
    person_id = _new_person(officer)  # one person may have several cases
    opened = [officer.post("/api/v1/cases", json={**body, "person_id": person_id}) for _ in "ab"]
    assert [response.status_code for response in opened] == [201, 201]
    references = [response.json()["reference"] for response in opened]
    assert references[0].endswith("-A1B2C3D4E5") and references[1].endswith("-F6E5D4C3B2")


def test_a_case_recorded_late_opens_on_the_day_its_application_came_in(client_for: Any) -> None:
    officer = client_for("us-case-officer")
    body = {
        "person_id": _new_person(officer),
        "authority": "us-mx-1976",
        "from_state": "US",
        "to_state": "MX",
    }
    future = officer.post("/api/v1/cases", json={**body, "opened_on": "2999-01-01"})
    assert future.status_code == 422 and "opened_on" in future.text
    late = officer.post("/api/v1/cases", json={**body, "opened_on": "2024-10-13"})
    assert late.status_code == 201, late.text
    case = late.json()
    assert case["reference"].startswith("US-MX-2024-")
    history = officer.get(f"/api/v1/cases/{case['id']}/timeline").json()
    opened = [e for e in history["events"] if e["command"] == "OpenCase"]
    assert opened and opened[0]["occurred_at"].startswith("2024-10-13")
