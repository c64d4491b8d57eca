"""Recording, correcting and listing people through the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container

PERSON = {
    "family_name": "Ortega Salas",
    "given_names": "Julio",
    "birth_date": "1988-03-02",
    "held_by_state": "US",
    "citizenships": [{"country": "mx", "acquired_on": "1988-03-02"}],
    "identifiers": [{"scheme": "bop-register", "value": "77777-001"}],
    "sentences": [
        {
            "offense": "Possession with intent to distribute",
            "offense_category": "drug_trafficking",
            "jurisdiction": "US",
            "start_date": "2021-05-01",
            "length_days": 2920,
        }
    ],
}


@pytest.fixture
def officer(client_for: Any) -> TestClient:
    client: TestClient = client_for("us-case-officer")
    return client


def _counts(container: Container) -> tuple[int, int]:
    with container.engine.connect() as connection:
        people = connection.scalar(select(func.count()).select_from(t.people))
        events = connection.scalar(select(func.count()).select_from(t.events))
    return int(people or 0), int(events or 0)


def test_recording_a_person_stores_the_facts_and_an_event(
    officer: TestClient, container: Container
) -> None:
    people_before, events_before = _counts(container)
    response = officer.post("/api/v1/people", json=PERSON)
    assert response.status_code == 201
    body = response.json()
    assert body["citizenships"][0]["country"] == "MX"
    assert body["sentences"][0]["length_days"] == 2920
    assert officer.get(f"/api/v1/people/{body['id']}").json() == body
    assert _counts(container) == (people_before + 1, events_before + 1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"held_by_state": "USA"}, "held_by_state"),
        ({"birth_date": "1988-02-30"}, "birth_date"),
        ({"citizenships": [{"country": "M1"}]}, "citizenships.0.country"),
        (
            {"sentences": [{**PERSON["sentences"][0], "offense_category": "jaywalking"}]},
            "sentences.0.offense_category",
        ),
        ({"sentences": [{**PERSON["sentences"][0], "length_days": -5}]}, "sentences.0.length_days"),
        ({"family_name": ""}, "family_name"),
        ({"nickname": "x"}, "nickname"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    officer: TestClient, container: Container, change: dict[str, Any], field: str
) -> None:
    before = _counts(container)
    response = officer.post("/api/v1/people", json={**PERSON, **change})
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert _counts(container) == before


@pytest.mark.storage  # how each database refuses it or matches it differs
def test_a_duplicate_identifier_is_a_conflict(officer: TestClient, container: Container) -> None:
    assert officer.post("/api/v1/people", json=PERSON).status_code == 201
    before = _counts(container)
    response = officer.post("/api/v1/people", json={**PERSON, "given_names": "Other"})
    assert response.status_code == 409
    assert "77777-001" in response.json()["detail"]
    assert _counts(container) == before


@pytest.mark.storage  # how each database refuses it or matches it differs
def test_a_correction_based_on_a_stale_version_is_refused(officer: TestClient) -> None:
    created = officer.post("/api/v1/people", json=PERSON).json()
    first = officer.patch(
        f"/api/v1/people/{created['id']}",
        json={"version": created["version"], "given_names": "Julio César"},
    )
    assert first.status_code == 200
    assert first.json()["version"] == created["version"] + 1
    stale = officer.patch(
        f"/api/v1/people/{created['id']}",
        json={"version": created["version"], "family_name": "Ortega"},
    )
    assert stale.status_code == 409
    current = officer.get(f"/api/v1/people/{created['id']}").json()
    assert (current["given_names"], current["family_name"]) == ("Julio César", "Ortega Salas")


def test_listing_pages_and_filters(officer: TestClient) -> None:
    first = officer.get("/api/v1/people?limit=5&offset=0").json()
    second = officer.get("/api/v1/people?limit=5&offset=5").json()
    assert len(first["items"]) == 5 and first["total"] == second["total"] >= 28
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}
    mexicans = officer.get("/api/v1/people?citizenship=mx&limit=500").json()
    assert mexicans["total"] == 13 + 12  # the April 2025 batch, one case per lifecycle state
    assert all(p["citizenships"][0]["country"] == "MX" for p in mexicans["items"])
    named = officer.get("/api/v1/people?name=rondón").json()
    assert [p["family_name"] for p in named["items"]] == ["Rondón Salazar"]


def test_paging_limits_are_validated(officer: TestClient) -> None:
    response = officer.get("/api/v1/people?limit=0")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_a_correction_cannot_erase_a_required_name(officer: TestClient) -> None:
    created = officer.post("/api/v1/people", json=PERSON).json()
    response = officer.patch(f"/api/v1/people/{created['id']}", json={"family_name": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "family_name"
    assert officer.get(f"/api/v1/people/{created['id']}").json()["family_name"] == "Ortega Salas"


@pytest.mark.storage  # how each database refuses it or matches it differs
def test_text_with_a_nul_byte_is_refused_naming_the_field(officer: TestClient) -> None:
    response = officer.post("/api/v1/people", json={**PERSON, "given_names": "Ju\u0000lio"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "given_names"


@pytest.mark.storage  # how each database refuses it or matches it differs
def test_an_id_beyond_64_bits_is_a_validation_error_not_a_crash(officer: TestClient) -> None:
    response = officer.get(f"/api/v1/people/{2**63}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_id"


@pytest.mark.storage  # how each database refuses it or matches it differs
def test_percent_and_underscore_in_a_name_search_match_only_themselves(
    officer: TestClient,
) -> None:
    for family_name in ("Ruiz_Paz 100%", "RuizXPaz"):
        person = {**PERSON, "family_name": family_name, "identifiers": []}
        assert officer.post("/api/v1/people", json=person).status_code == 201
    for search, expected in (("%", ["Ruiz_Paz 100%"]), ("ruiz_paz", ["Ruiz_Paz 100%"])):
        found = officer.get("/api/v1/people", params={"name": search, "limit": 500}).json()
        assert [p["family_name"] for p in found["items"]] == expected, search
