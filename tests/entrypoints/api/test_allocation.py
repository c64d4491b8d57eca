"""Allocation through the API: never past standard capacity, and who is left out is told why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container

Clients = Callable[[str], TestClient]
ON = date(2027, 2, 1)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def admin(client_for: Clients) -> TestClient:
    return client_for("sv-facility-admin")


@pytest.fixture
def wing(admin: TestClient) -> int:
    """Two cells of 14 m² with four bunks each: CPT allows three people in each."""
    cell = {"code": "c", "count": 2, "floor_area_m2": "14", "beds": 4, "security_level": "min"}
    body = {
        "code": "wing",
        "name": "Test wing",
        "state": "SV",
        "units": [{"code": "w", "name": "W", "cells": [cell]}],
    }
    return int(_ok(admin.post("/api/v1/facilities", json=body), 201)["id"])


def people(client_for: Clients, count: int) -> list[int]:
    officer = client_for("sv-case-officer")
    return [
        int(
            _ok(
                officer.post(
                    "/api/v1/people",
                    json={"family_name": "Arriving", "given_names": f"N{n}", "held_by_state": "SV"},
                ),
                201,
            )["id"]
        )
        for n in range(count)
    ]


def allocate(admin: TestClient, facility: int, body: dict[str, Any], status: int = 201) -> Any:
    return _ok(admin.post(f"/api/v1/facilities/{facility}/allocations", json=body), status)


def arrivals(ids: list[int], level: str = "min", **extra: Any) -> list[dict[str, Any]]:
    return [{"person_id": pid, "security_level": level, **extra} for pid in ids]


def test_arrivals_are_placed_but_never_past_standard_capacity(
    client_for: Clients, admin: TestClient, wing: int
) -> None:
    ids = people(client_for, 8)
    result = allocate(admin, wing, {"on": ON.isoformat(), "arrivals": arrivals(ids)})
    assert len(result["placed"]) == 6
    assert [u["constraint"] for u in result["unplaced"]] == ["capacity", "capacity"]
    assert "has room under CPT" in result["unplaced"][0]["reason"]
    cells = _ok(admin.get(f"/api/v1/facilities/{wing}/occupancy?on={ON.isoformat()}"))["cells"]
    assert [(c["held"], c["standard_capacity"]) for c in cells] == [(3, 3), (3, 3)]


def test_an_infeasible_instance_is_explained(
    client_for: Clients, admin: TestClient, wing: int
) -> None:
    ids = people(client_for, 2)
    result = allocate(admin, wing, {"on": ON.isoformat(), "arrivals": arrivals(ids, "max")})
    assert result["placed"] == []
    assert {(u["person_id"], u["constraint"]) for u in result["unplaced"]} == {
        (ids[0], "security_level"),
        (ids[1], "security_level"),
    }
    assert result["unplaced"][0]["reason"] == "no cell of security level 'max'"


def test_rival_groups_never_share_a_cell_and_the_one_left_out_is_told_why(
    client_for: Clients, admin: TestClient, wing: int
) -> None:
    ids = people(client_for, 3)
    source = {"source": "intake interview", "recorded_on": "2027-01-20"}
    body = {
        "on": ON.isoformat(),
        "arrivals": [
            {"person_id": ids[0], "security_level": "min",
             "affiliation": {"group": "G1", "verified": True, **source}},
            {"person_id": ids[1], "security_level": "min",
             "affiliation": {"group": "G2", "verified": False, **source}},
            {"person_id": ids[2], "security_level": "min",
             "affiliation": {"group": "G3", "verified": True, **source}},
        ],
        "rivalries": [["G1", "G2"], ["G2", "G3"], ["G1", "G3"]],
    }  # fmt: skip
    result = allocate(admin, wing, body)
    cells = [p["cell"] for p in result["placed"]]
    assert len(cells) == len(set(cells)) == 2
    (left,) = result["unplaced"]
    assert left["constraint"] == "rival_groups"
    unverified = next(n for n in result["separation_notes"] if n["group"] == "G2")
    assert unverified["verified"] is False and "UNVERIFIED" in unverified["text"]
    assert "not a legal ground" in unverified["text"]


def test_a_keep_apart_pair_is_split_and_a_third_cell_less_person_is_explained(
    client_for: Clients, admin: TestClient, wing: int
) -> None:
    ids = people(client_for, 3)
    body = {
        "on": ON.isoformat(),
        "arrivals": arrivals(ids),
        "keep_apart": [[ids[0], ids[1]], [ids[0], ids[2]], [ids[1], ids[2]]],
    }
    result = allocate(admin, wing, body)
    assert len({p["cell"] for p in result["placed"]}) == 2
    (left,) = result["unplaced"]
    assert left["constraint"] == "keep_apart" and "keep-apart with" in left["reason"]


def test_people_already_held_stay_where_they_are(
    client_for: Clients, admin: TestClient, wing: int
) -> None:
    first, second = people(client_for, 2)
    placed = allocate(admin, wing, {"on": ON.isoformat(), "arrivals": arrivals([first])})
    later = allocate(admin, wing, {"on": "2027-02-02", "arrivals": arrivals([second])})
    assert later["moved"] == [] and later["held_beyond_standard"] == []
    cells = _ok(admin.get(f"/api/v1/facilities/{wing}/occupancy?on=2027-02-02"))["cells"]
    held = {s["person_id"]: c["code"] for c in cells for s in c["stays"]}
    assert held[first] == placed["placed"][0]["cell"]
    assert set(held) == {first, second}


def test_a_dry_run_stores_nothing(client_for: Clients, admin: TestClient, wing: int) -> None:
    ids = people(client_for, 2)
    body = {"on": ON.isoformat(), "arrivals": arrivals(ids), "dry_run": True}
    assert len(allocate(admin, wing, body, status=200)["placed"]) == 2
    cells = _ok(admin.get(f"/api/v1/facilities/{wing}/occupancy?on={ON.isoformat()}"))["cells"]
    assert sum(c["held"] for c in cells) == 0


def test_each_allocation_is_recorded_in_the_audit_log(
    client_for: Clients, admin: TestClient, wing: int, container: Container
) -> None:
    ids = people(client_for, 1)
    allocate(admin, wing, {"on": ON.isoformat(), "arrivals": arrivals(ids)})
    with container.uow() as uow:
        events = uow.session.execute(
            select(t.events.c.after).where(
                t.events.c.command == "CellsAllocated", t.events.c.subject_id == str(wing)
            )
        ).all()
    assert len(events) == 1
    assert list(events[0].after["placed"]) == [str(ids[0])]


def test_a_person_already_held_cannot_arrive_again(
    client_for: Clients, admin: TestClient, wing: int
) -> None:
    ids = people(client_for, 1)
    allocate(admin, wing, {"on": ON.isoformat(), "arrivals": arrivals(ids)})
    response = admin.post(
        f"/api/v1/facilities/{wing}/allocations",
        json={"on": ON.isoformat(), "arrivals": arrivals(ids)},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "arrivals.0.person_id"


def test_only_the_host_states_facility_administrator_allocates(
    client_for: Clients, wing: int
) -> None:
    ids = people(client_for, 1)
    body = {"on": ON.isoformat(), "arrivals": arrivals(ids)}
    officer = client_for("sv-case-officer")
    assert officer.post(f"/api/v1/facilities/{wing}/allocations", json=body).status_code == 403
    foreign = client_for("us-facility-admin")
    assert foreign.post(f"/api/v1/facilities/{wing}/allocations", json=body).status_code == 404


def _demo_person(container: Container, identifier: str) -> int:
    with container.engine.connect() as connection:
        person_id = connection.scalar(
            select(t.identifiers.c.person_id).where(t.identifiers.c.value == identifier)
        )
    assert person_id is not None, identifier
    return int(person_id)


def _stays(container: Container) -> int:
    with container.engine.connect() as connection:
        return len(connection.execute(select(t.stays.c.id)).all())


def test_a_person_held_elsewhere_is_placed_only_once_their_case_has_passed_its_legal_gates(
    container: Container, client_for: Clients, admin: TestClient, wing: int
) -> None:
    # Held by the US, with a withholding order against removal to El Salvador: the custody
    # agreement's case stands at "order final" and can go no further.
    protected = _demo_person(container, "A201234567")
    before = _stays(container)
    body = {"on": ON.isoformat(), "arrivals": arrivals([protected])}
    refused = admin.post(f"/api/v1/facilities/{wing}/allocations", json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "arrivals.0.person_id"
    assert "its stage: order final" in refused.json()["detail"]
    assert _stays(container) == before

    # A draft case to El Salvador brings nobody either; once the case is scheduled (every
    # approval and the consent hearing behind it) the person may be placed.
    drafted = _demo_person(container, "51234-051")
    body = {"on": ON.isoformat(), "arrivals": arrivals([drafted])}
    assert admin.post(f"/api/v1/facilities/{wing}/allocations", json=body).status_code == 422
    with container.engine.begin() as connection:  # as if its lifecycle had gone that far
        connection.execute(
            t.cases.update().where(t.cases.c.person_id == drafted).values(state="scheduled")
        )
    placed = allocate(admin, wing, body)
    assert [p["person_id"] for p in placed["placed"]] == [drafted]
    assert _stays(container) == before + 1
