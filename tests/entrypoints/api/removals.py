"""Helpers for removal cases through the API: a person under a final order, and their steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from repatria.services import clock

TODAY = clock.today()
# Under a final order of removal designating Mexico and Guatemala.
ORDERED = {
    "family_name": "Rivas Paredes",
    "given_names": "Tomás",
    "birth_date": "1990-05-05",
    "held_by_state": "US",
    "citizenships": [{"country": "MX"}],
    "removal_orders": [
        {
            "issued_on": (TODAY - timedelta(days=60)).isoformat(),
            "final": True,
            "designated_countries": ["MX", "GT"],
        }
    ],
}
NOTICE = {"language_understood": True, "explains_how_to_contest": True}
WHY = {"reason": "recorded from the court's order", "legal_basis": "order of the court, No. 26-1"}


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    """The JSON body, after checking the status."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def new_person(officer: TestClient) -> int:
    """A person held by the United States under a final order of removal."""
    return int(ok(officer.post("/api/v1/people", json=ORDERED), 201)["id"])


def open_removal(officer: TestClient, person_id: int, to_state: str = "MX") -> int:
    """A new us-removal case of the person, at order_final."""
    body = {"person_id": person_id, "authority": "us-removal", "from_state": "US"}
    case = ok(officer.post("/api/v1/cases", json={**body, "to_state": to_state}), 201)
    return int(case["id"])


def step(client: TestClient, case_id: int, command: str, reason: str = "") -> Any:
    """Take a lifecycle step."""
    body = {"command": command, "reason": reason}
    return client.post(f"/api/v1/cases/{case_id}/transitions", json=body)


def state_of(client: TestClient, case_id: int) -> str:
    """The case's state now."""
    return str(ok(client.get(f"/api/v1/cases/{case_id}"))["state"])


def record_notice(officer: TestClient, case_id: int) -> None:
    """Record the written notice of the destination, served now."""
    served = {**NOTICE, "served_at": datetime.now(UTC).isoformat()}
    ok(officer.post(f"/api/v1/cases/{case_id}/notices", json=served))


def clear(officer: TestClient, case_id: int) -> None:
    """Take a case at order_final through every step up to cleared."""
    ok(step(officer, case_id, "designate_destination"))
    record_notice(officer, case_id)
    for command in ("serve_notice", "start_waiting_period", "clear"):
        ok(step(officer, case_id, command))


def raise_fear_claim(officer: TestClient, case_id: int) -> int:
    """Record a fear claim, undecided, about the case's destination; its id."""
    ok(officer.post(f"/api/v1/cases/{case_id}/fear-claims", json={"raised_on": TODAY.isoformat()}))
    events = ok(officer.get(f"/api/v1/cases/{case_id}/timeline"))["events"]
    claims = [e["after"]["id"] for e in events if e["command"] == "FearClaimRecorded"]
    return int(claims[-1])
