"""Facilities through the API: declared beside standard capacity, occupancy, forecast, scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from repatria.services import clock

Clients = Callable[[str], TestClient]

# (code, floor m², sanitary m², design) -> (CPT, ICRC) standard capacity
SHAPES: dict[tuple[str, str, str, str], tuple[int, int]] = {
    ("tiny", "5.39", "0", "shared"): (0, 0),
    ("almost-six", "5.99", "0", "shared"): (0, 1),
    ("six", "6", "0", "shared"): (1, 1),
    ("dorm-pair", "6.8", "0", "shared"): (1, 2),
    ("ten", "10", "0", "shared"): (2, 2),
    ("exact-icrc", "10.2", "0", "shared"): (2, 3),
    ("annex", "12", "2", "shared"): (2, 2),
    ("fourteen", "14", "0", "shared"): (3, 4),
    ("cecot-like", "100", "0", "shared"): (24, 29),
    ("single-large", "40", "0", "single"): (1, 1),
}


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def shapes_facility(code: str = "shapes") -> dict[str, Any]:
    cells = [
        {
            "code": name,
            "floor_area_m2": floor,
            "sanitary_area_m2": sanitary,
            "beds": 100,
            "security_level": "medium",
            "occupancy": design,
        }
        for name, floor, sanitary, design in SHAPES
    ]
    return {
        "code": code,
        "name": "Cells of every shape (test)",
        "state": "SV",
        "standard": "CPT",
        "declared_capacity": 500,
        "units": [{"code": "a", "name": "Wing A", "declared_capacity": 400, "cells": cells}],
    }


def facility_id(client: TestClient, code: str) -> int:
    items = _ok(client.get("/api/v1/facilities"))["items"]
    return int(next(f["id"] for f in items if f["code"] == code))


@pytest.mark.parametrize(("standard", "column"), [("CPT", 0), ("ICRC", 1)])
def test_standard_capacity_of_each_cell_shape_under_both_standards(
    client_for: Clients, standard: str, column: int
) -> None:
    admin = client_for("sv-facility-admin")
    created = _ok(admin.post("/api/v1/facilities", json=shapes_facility()), 201)
    cells = _ok(admin.get(f"/api/v1/facilities/{created['id']}/occupancy?standard={standard}"))
    found = {c["code"]: c["standard_capacity"] for c in cells["cells"]}
    assert found == {shape[0]: expected[column] for shape, expected in SHAPES.items()}
    assert cells["standard_used"] == standard


def test_a_unit_shows_declared_beside_standard_capacity(client_for: Clients) -> None:
    admin = client_for("sv-facility-admin")
    created = _ok(admin.post("/api/v1/facilities", json=shapes_facility()), 201)
    report = _ok(admin.get(f"/api/v1/facilities/{created['id']}?standard=CPT"))
    unit = report["units"][0]
    cpt_total = sum(expected[0] for expected in SHAPES.values())
    assert (unit["declared_capacity"], unit["standard_capacity"]) == (400, cpt_total)
    assert unit["declared_excess"] == 400 - cpt_total
    assert report["capacity"]["declared_capacity"] == 500
    assert report["standard_used"]["citation"].startswith("CPT/Inf (2015) 44")


def test_cecot_declares_six_and_a_half_times_its_cpt_standard_capacity(
    client_for: Clients,
) -> None:
    admin = client_for("sv-facility-admin")
    cecot = facility_id(admin, "cecot")
    cpt = _ok(admin.get(f"/api/v1/facilities/{cecot}?standard=CPT&on=2025-04-11"))
    assert cpt["capacity"] == {
        "cells": 256,
        "beds": 20_480,
        "declared_capacity": 40_000,
        "standard_capacity": 6_144,
        "placement_limit": 6_144,
        "declared_excess": 33_856,
        "declared_ratio": "6.51",
    }
    assert [u["standard_capacity"] for u in cpt["units"]] == [768] * 8
    assert cpt["occupancy"] == 238  # the people sent under the 2025 agreement
    icrc = _ok(admin.get(f"/api/v1/facilities/{cecot}?standard=icrc&on=2025-04-11"))
    assert icrc["capacity"]["standard_capacity"] == 7_424


def test_the_forecast_names_the_day_standard_capacity_runs_out(client_for: Clients) -> None:
    admin, officer = client_for("sv-facility-admin"), client_for("sv-case-officer")
    body = {
        "code": "small",
        "name": "One cell of 14 m² (test)",
        "state": "SV",
        "units": [
            {
                "code": "u",
                "name": "U",
                "cells": [{"code": "c", "floor_area_m2": "14", "beds": 4, "security_level": "min"}],
            }
        ],
    }
    small = _ok(admin.post("/api/v1/facilities", json=body), 201)["id"]
    start = clock.today() + timedelta(days=10)
    for offset in (0, 3, 5):  # three bookings: CPT allows 6 + 4 + 4 = 14 m², three people
        person = _ok(
            officer.post(
                "/api/v1/people",
                json={"family_name": "Booked", "given_names": str(offset), "held_by_state": "SV"},
            ),
            201,
        )
        arrival = {"person_id": person["id"], "security_level": "min"}
        on = (start + timedelta(days=offset)).isoformat()
        _ok(
            admin.post(
                f"/api/v1/facilities/{small}/allocations", json={"on": on, "arrivals": [arrival]}
            ),
            201,
        )
    projected = _ok(
        admin.get(f"/api/v1/facilities/{small}/forecast?start={start.isoformat()}&days=10")
    )
    assert projected["standard_capacity"] == 3
    assert [d["occupancy"] for d in projected["days"][:6]] == [1, 1, 1, 2, 2, 3]
    assert projected["full_on"] == (start + timedelta(days=5)).isoformat()
    assert projected["over_on"] is None


def test_another_states_facility_is_not_found(client_for: Clients) -> None:
    cecot = facility_id(client_for("sv-facility-admin"), "cecot")
    mexico = client_for("mx-facility-admin")
    assert mexico.get(f"/api/v1/facilities/{cecot}").status_code == 404
    assert all(f["code"] != "cecot" for f in _ok(mexico.get("/api/v1/facilities"))["items"])


def test_the_paying_state_sees_the_facility_it_pays_for(client_for: Clients) -> None:
    cecot = facility_id(client_for("sv-facility-admin"), "cecot")
    assert client_for("us-finance").get(f"/api/v1/facilities/{cecot}").status_code == 200


@pytest.mark.parametrize("username", ["us-facility-admin", "sv-case-officer", "sv-auditor"])
def test_only_the_operating_states_facility_administrator_records_a_facility(
    client_for: Clients, username: str
) -> None:
    response = client_for(username).post("/api/v1/facilities", json=shapes_facility("denied"))
    assert response.status_code == 403, response.text


def test_an_unknown_standard_is_refused_naming_the_parameter(client_for: Clients) -> None:
    admin = client_for("sv-facility-admin")
    response = admin.get(f"/api/v1/facilities/{facility_id(admin, 'cecot')}?standard=nope")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "standard"


def test_a_sanitary_annex_larger_than_the_cell_is_refused(client_for: Clients) -> None:
    body = shapes_facility("bad")
    body["units"][0]["cells"] = [
        {"code": "x", "floor_area_m2": "4", "sanitary_area_m2": "5", "beds": 1,
         "security_level": "min"}
    ]  # fmt: skip
    response = client_for("sv-facility-admin").post("/api/v1/facilities", json=body)
    assert response.status_code == 422
    assert "sanitary_area_m2" in response.json()["detail"]


def mexican_facility(client_for: Clients) -> int:
    """Mexico's only facility on record: one cell of 14 m² with four beds (CPT: three people)."""
    cell = {"code": "c", "floor_area_m2": "14", "beds": 4, "security_level": "min"}
    body = {
        "code": "mx-one",
        "name": "One cell in Mexico (test)",
        "state": "MX",
        "units": [{"code": "u", "name": "U", "cells": [cell]}],
    }
    return int(
        _ok(client_for("mx-facility-admin").post("/api/v1/facilities", json=body), 201)["id"]
    )


def projected(client_for: Clients, facility: int, days: int = 30) -> dict[str, Any]:
    """The facility's forecast from today."""
    query = f"start={clock.today().isoformat()}&days={days}"
    return _ok(
        client_for("mx-facility-admin").get(f"/api/v1/facilities/{facility}/forecast?{query}")
    )


def schedule_approved_case(client_for: Clients, departs_in_days: int) -> None:
    """Put the demo's approved US-to-Mexico case on a movement leaving in so many days."""
    officer = client_for("us-case-officer")
    (case,) = _ok(officer.get("/api/v1/cases?state=approved&authority=us-mx-1976"))["items"]
    leaves = clock.today() + timedelta(days=departs_in_days)
    plan = {
        "authority": "us-mx-1976",
        "from_state": "US",
        "to_state": "MX",
        "seats": 4,
        "planned_departure": f"{leaves.isoformat()}T09:00:00Z",
    }
    movement = _ok(officer.post("/api/v1/movements", json=plan), 201)["id"]
    manifest = f"/api/v1/movements/{movement}/manifest"
    _ok(officer.post(manifest, json={"case_id": case["id"]}), 201)


def test_a_movement_scheduled_to_the_state_raises_the_forecast_on_its_date(
    client_for: Clients,
) -> None:
    mx_one = mexican_facility(client_for)
    before = projected(client_for, mx_one)
    schedule_approved_case(client_for, departs_in_days=5)
    after = projected(client_for, mx_one)
    raised = [
        a["occupancy"] - b["occupancy"] for a, b in zip(after["days"], before["days"], strict=True)
    ]
    assert raised == [0] * 5 + [1] * 25  # from the day the movement leaves
    assert after["scheduled_arrivals"] == before["scheduled_arrivals"] + 1
    day_five = after["days"][5]
    change = {
        "on": day_five["on"],
        "arrivals": 1,
        "releases": 0,
        "occupancy": day_five["occupancy"],
    }
    assert change in after["changes"]


def test_the_forecast_falls_on_a_sentences_release_date_and_names_the_run_out_day(
    client_for: Clients,
) -> None:
    mx_one = mexican_facility(client_for)
    today = clock.today()
    start = date(2020, 1, 1)
    person = {
        "family_name": "Sentenced",
        "given_names": "Short",
        "held_by_state": "MX",
        "sentences": [
            {
                "offense": "theft",
                "offense_category": "property",
                "jurisdiction": "MX",
                "start_date": start.isoformat(),
                "length_days": (today + timedelta(days=20) - start).days,  # ends in 20 days
            }
        ],
    }
    person_id = _ok(client_for("mx-case-officer").post("/api/v1/people", json=person), 201)["id"]
    arrival = {"person_id": person_id, "security_level": "min"}
    allocation = {"on": today.isoformat(), "arrivals": [arrival]}
    admin = client_for("mx-facility-admin")
    _ok(admin.post(f"/api/v1/facilities/{mx_one}/allocations", json=allocation), 201)
    schedule_approved_case(client_for, departs_in_days=5)
    forecast = projected(client_for, mx_one)
    # Also bound for Mexico's only facility: the demo's movement that departed today and the
    # one leaving in 14 days (one person each, years left on their sentences).
    assert forecast["scheduled_arrivals"] == 3
    occupancy = [d["occupancy"] for d in forecast["days"]]
    assert occupancy == [2] * 5 + [3] * 9 + [4] * 6 + [3] * 10  # the sentence ends on day 20
    assert forecast["standard_capacity"] == 3  # CPT: 6 + 4 + 4 m²
    assert forecast["full_on"] == (today + timedelta(days=5)).isoformat()
    assert forecast["over_on"] == (today + timedelta(days=14)).isoformat()
    release = {"on": (today + timedelta(days=20)).isoformat(), "arrivals": 0, "releases": 1}
    assert {**release, "occupancy": 3} in forecast["changes"]
