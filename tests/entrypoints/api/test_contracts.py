"""Custody contracts through the API: invoices to the cent, and a full contract refuses the next
case and the next arrival."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from repatria.services import clock

Clients = Callable[[str], TestClient]
TODAY = clock.today()


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def annex(client_for: Clients) -> int:
    """A small SV facility: four cells of 30 m² (CPT: six people each)."""
    cell = {"code": "c", "count": 4, "floor_area_m2": "30", "beds": 6, "security_level": "min"}
    body = {
        "code": "annex",
        "name": "Test annex",
        "state": "SV",
        "units": [{"code": "a", "name": "A", "cells": [cell]}],
    }
    admin = client_for("sv-facility-admin")
    return int(_ok(admin.post("/api/v1/facilities", json=body), 201)["id"])


def contract(client_for: Clients, facility: int, **terms: Any) -> dict[str, Any]:
    body = {
        "reference": "test-contract",
        "payer_state": "US",
        "host_state": "SV",
        "facility_id": facility,
        "fee_basis": "per_person_day",
        "fee": "12.34",
        "cap_people": 50,
        "starts_on": "2027-01-15",
        "ends_on": "2027-12-31",
        "funding_source": "test appropriation",
        **terms,
    }
    return _ok(client_for("us-finance").post("/api/v1/contracts", json=body), 201)


def held_person(client_for: Clients, name: str) -> int:
    body = {"family_name": "Held", "given_names": name, "held_by_state": "SV"}
    return int(_ok(client_for("sv-case-officer").post("/api/v1/people", json=body), 201)["id"])


def place(
    client_for: Clients, facility: int, contract_id: int, person_id: int, on: str
) -> dict[str, Any]:
    body = {
        "on": on,
        "contract_id": contract_id,
        "arrivals": [{"person_id": person_id, "security_level": "min"}],
    }
    admin = client_for("sv-facility-admin")
    return _ok(admin.post(f"/api/v1/facilities/{facility}/allocations", json=body), 201)


def test_a_monthly_invoice_counts_person_days_held_to_the_cent(
    client_for: Clients, annex: int
) -> None:
    terms = contract(client_for, annex)
    first, second = held_person(client_for, "A"), held_person(client_for, "B")
    place(client_for, annex, terms["id"], first, "2027-01-15")  # the day the contract starts
    place(client_for, annex, terms["id"], second, "2027-01-20")
    stay = place(client_for, annex, terms["id"], held_person(client_for, "C"), "2027-01-25")
    admin = client_for("sv-facility-admin")
    cells = _ok(admin.get(f"/api/v1/facilities/{annex}/occupancy?on=2027-01-25"))["cells"]
    stay_id = next(s["id"] for c in cells for s in c["stays"] if s["person_id"] == first)
    _ok(
        admin.post(f"/api/v1/facilities/{annex}/stays/{stay_id}/release", json={"on": "2027-02-05"})
    )
    assert stay["placed"]
    finance = client_for("us-finance")
    january = _ok(finance.get(f"/api/v1/contracts/{terms['id']}/invoices/2027-01"))
    # A: 15-31 January (17 days); B: 20-31 (12); C: 25-31 (7); at $12.34 a person-day
    assert [(line["days"], line["amount"]) for line in january["lines"]] == [
        (17, "209.78"),
        (12, "148.08"),
        (7, "86.38"),
    ]
    assert (january["person_days"], january["total"]) == (36, "444.24")
    february = _ok(finance.get(f"/api/v1/contracts/{terms['id']}/invoices/2027-02"))
    # A leaves on 5 February (not counted): 4 days; B and C all 28 days
    assert [line["days"] for line in february["lines"]] == [4, 28, 28]
    assert (february["person_days"], february["total"]) == (60, "740.40")


def test_a_yearly_fee_is_charged_per_person_day_at_one_365th(
    client_for: Clients, annex: int
) -> None:
    terms = contract(client_for, annex, fee_basis="per_person_year", fee="36500.00")
    place(client_for, annex, terms["id"], held_person(client_for, "Y"), "2027-03-01")
    march = _ok(client_for("us-finance").get(f"/api/v1/contracts/{terms['id']}/invoices/2027-03"))
    assert (march["person_days"], march["total"]) == (31, "3100.00")


def test_the_invoice_exports_as_csv_with_its_total(client_for: Clients, annex: int) -> None:
    terms = contract(client_for, annex)
    place(client_for, annex, terms["id"], held_person(client_for, "A"), "2027-04-01")
    response = client_for("us-finance").get(f"/api/v1/contracts/{terms['id']}/invoices/2027-04.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["item"], r["days"], r["amount"]) for r in rows] == [
        ("custody", "30", "370.20"),
        ("total", "30", "370.20"),
    ]


def test_the_2025_agreement_invoices_its_lump_sum_in_march_2025(client_for: Clients) -> None:
    finance = client_for("us-finance")
    agreement = next(
        c for c in _ok(finance.get("/api/v1/contracts"))["items"] if c["reference"] == "us-sv-2025"
    )
    assert (agreement["cap_people"], agreement["fee"]) == (300, "4760000.00")
    assert (agreement["admitted_people"], agreement["room_under_cap"]) == (238, 62)
    march = _ok(finance.get(f"/api/v1/contracts/{agreement['id']}/invoices/2025-03"))
    assert march["lump_sum"] == march["total"] == "4760000.00"
    assert march["person_days"] == 238 * 16  # 16 to 31 March
    april = _ok(finance.get(f"/api/v1/contracts/{agreement['id']}/invoices/2025-04"))
    assert (april["person_days"], april["total"]) == (238 * 30, "0.00")


def test_a_contract_at_its_cap_leaves_the_next_arrival_out(client_for: Clients, annex: int) -> None:
    terms = contract(client_for, annex, cap_people=2)
    ids = [held_person(client_for, name) for name in "ABC"]
    body = {
        "on": "2027-02-01",
        "contract_id": terms["id"],
        "arrivals": [{"person_id": pid, "security_level": "min"} for pid in ids],
    }
    admin = client_for("sv-facility-admin")
    result = _ok(admin.post(f"/api/v1/facilities/{annex}/allocations", json=body), 201)
    assert [p["person_id"] for p in result["placed"]] == ids[:2]
    (left,) = result["unplaced"]
    assert (left["person_id"], left["constraint"]) == (ids[2], "contract")
    assert "at its cap of 2 people" in left["reason"]


def test_a_contract_refuses_arrivals_outside_its_dates(client_for: Clients, annex: int) -> None:
    terms = contract(client_for, annex)
    body = {
        "on": "2028-01-01",
        "contract_id": terms["id"],
        "arrivals": [{"person_id": held_person(client_for, "Late"), "security_level": "min"}],
    }
    admin = client_for("sv-facility-admin")
    response = admin.post(f"/api/v1/facilities/{annex}/allocations", json=body)
    assert response.status_code == 409
    assert "not on 2028-01-01" in response.json()["detail"]


def custody_case(client_for: Clients, name: str) -> int:
    """A Venezuelan held by the US with a final order, proposed for custody in El Salvador."""
    officer = client_for("us-case-officer")
    person = {
        "family_name": "Custody",
        "given_names": name,
        "held_by_state": "US",
        "citizenships": [{"country": "VE"}],
        "removal_orders": [
            {"issued_on": "2025-01-20", "final": True, "designated_countries": ["SV"]}
        ],
    }
    person_id = _ok(officer.post("/api/v1/people", json=person), 201)["id"]
    case = {"person_id": person_id, "authority": "custody-agreement", "from_state": "US",
            "to_state": "SV"}  # fmt: skip
    case_id = int(_ok(officer.post("/api/v1/cases", json=case), 201)["id"])
    # Served with a notice it understood, and no fear claim raised: only the contract and the
    # facility are left to decide the next step.
    notice = {
        "served_at": f"{TODAY.isoformat()}T09:00:00Z",
        "language_understood": True,
        "explains_how_to_contest": True,
    }
    _ok(officer.post(f"/api/v1/cases/{case_id}/notices", json=notice))
    return case_id


def designate(client_for: Clients, case_id: int) -> Any:
    """Ask for the case's next step (designating the host as destination) today."""
    step = {"command": "designate_destination", "on": TODAY.isoformat()}
    officer = client_for("us-case-officer")
    return officer.post(f"/api/v1/cases/{case_id}/transitions", json=step)


def check_of(client_for: Clients, response: Any, ground: str) -> dict[str, Any]:
    """The check on one ground of a step, whether the step was taken (200) or refused (409)."""
    assert response.status_code in (200, 409), response.text
    if response.status_code == 200:
        assessment_id = response.json()["assessment_id"]
        officer = client_for("us-case-officer")
        checks = _ok(officer.get(f"/api/v1/assessments/{assessment_id}"))["verdict"]["checks"]
    else:
        checks = response.json()["verdict"]["checks"]
    found: dict[str, Any] = next(c for c in checks if c["ground"] == ground)
    return found


def case_state(client_for: Clients, case_id: int) -> tuple[str, int]:
    """The case's state and version."""
    case = _ok(client_for("us-case-officer").get(f"/api/v1/cases/{case_id}"))
    return case["state"], case["version"]


def test_a_contract_past_its_cap_refuses_the_next_case(client_for: Clients, annex: int) -> None:
    # The demo agreement ends in March 2026; this contract alone covers today, for one person.
    starts, ends = TODAY - timedelta(days=30), TODAY + timedelta(days=300)
    terms = contract(
        client_for,
        annex,
        reference="one-place",
        cap_people=1,
        starts_on=starts.isoformat(),
        ends_on=ends.isoformat(),
    )
    first, second = custody_case(client_for, "First"), custody_case(client_for, "Second")
    taken = designate(client_for, first)
    assert check_of(client_for, taken, "CONTRACT")["outcome"] == "pass"
    assert taken.status_code == 200, taken.text  # room under the cap: the step is taken
    place(client_for, annex, terms["id"], held_person(client_for, "Admitted"), starts.isoformat())
    before = case_state(client_for, second)
    response = designate(client_for, second)
    assert response.status_code == 409, response.text
    refused = check_of(client_for, response, "CONTRACT")
    assert refused["outcome"] == "fail"
    # The contract rule's terms are database facts not read in a text: the check says so.
    assert refused["reason"].startswith("the custody contract has no room left under its cap")
    assert refused["verified"] is False
    assert [c["ground"] for c in response.json()["checks"]] == ["CONTRACT"]  # the only refusal
    assert case_state(client_for, second) == before  # same state, same version
    assert before[0] == "order_final"


@pytest.fixture
def dormitory(client_for: Clients) -> int:
    """One SV cell of 6.8 m² with two beds, run under ICRC: two places (CPT would allow one)."""
    cell = {"code": "d", "floor_area_m2": "6.8", "beds": 2, "security_level": "min"}
    body = {
        "code": "dormitory",
        "name": "Test dormitory",
        "state": "SV",
        "standard": "icrc",
        "units": [{"code": "a", "name": "A", "cells": [cell]}],
    }
    admin = client_for("sv-facility-admin")
    return int(_ok(admin.post("/api/v1/facilities", json=body), 201)["id"])


def contract_for_today(client_for: Clients, facility: int) -> dict[str, Any]:
    """A contract with room for fifty, naming the facility and covering today."""
    starts, ends = TODAY - timedelta(days=30), TODAY + timedelta(days=300)
    return contract(
        client_for,
        facility,
        reference="dormitory-contract",
        starts_on=starts.isoformat(),
        ends_on=ends.isoformat(),
    )


def test_a_place_free_under_the_operators_standard_passes_the_capacity_check(
    client_for: Clients, dormitory: int
) -> None:
    terms = contract_for_today(client_for, dormitory)
    case = custody_case(client_for, "Room")
    # One person held: full under CPT, one place left under ICRC, the standard the operator chose.
    place(client_for, dormitory, terms["id"], held_person(client_for, "One"), TODAY.isoformat())
    response = designate(client_for, case)
    found = check_of(client_for, response, "CAPACITY")
    assert (found["outcome"], found["reason"]) == ("pass", "a standard-compliant place is free")
    assert response.status_code == 200, response.text  # nothing else refuses it


def test_a_facility_full_under_its_standard_refuses_the_next_custody_case(
    client_for: Clients, dormitory: int
) -> None:
    terms = contract_for_today(client_for, dormitory)
    case = custody_case(client_for, "Full")
    for name in ("One", "Two"):  # the ICRC limit of the only cell
        placed = place(
            client_for, dormitory, terms["id"], held_person(client_for, name), TODAY.isoformat()
        )
        assert len(placed["placed"]) == 1
    before = case_state(client_for, case)
    response = designate(client_for, case)
    assert response.status_code == 409, response.text
    refused = check_of(client_for, response, "CAPACITY")
    assert (refused["outcome"], refused["reason"]) == (
        "fail",
        "no place meeting the space standard is free",
    )
    assert [c["ground"] for c in response.json()["checks"]] == ["CAPACITY"]  # the only refusal
    assert case_state(client_for, case) == before  # same state, same version
    assert before[0] == "order_final"


def test_only_finance_of_the_payer_or_host_records_a_contract(
    client_for: Clients, annex: int
) -> None:
    body = {
        "reference": "denied",
        "payer_state": "US",
        "host_state": "SV",
        "fee_basis": "lump_sum",
        "fee": "1.00",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "funding_source": "none",
    }
    assert client_for("us-case-officer").post("/api/v1/contracts", json=body).status_code == 403
    assert client_for("mx-finance").post("/api/v1/contracts", json=body).status_code == 403
    mexico = client_for("mx-finance").get("/api/v1/contracts")
    assert all(c["reference"] != "us-sv-2025" for c in _ok(mexico)["items"])


def test_the_invoice_csv_names_its_columns_in_words_when_asked_and_by_name_otherwise(
    client_for: Clients, annex: int
) -> None:
    terms = contract(client_for, annex)
    place(client_for, annex, terms["id"], held_person(client_for, "W"), "2027-04-01")
    url = f"/api/v1/contracts/{terms['id']}/invoices/2027-04.csv"
    finance = client_for("us-finance")
    spanish = {"Accept-Language": "es-SV"}
    worded = finance.get(f"{url}?header=words", headers=spanish).text.splitlines()
    named = finance.get(url, headers=spanish).text.splitlines()
    assert worded[0] == "Contrato,Mes,Concepto,Persona,Días de internamiento,Importe,Moneda"
    assert named[0] == "contract,month,item,person_id,days,amount,currency"
    assert worded[1:] == named[1:]
    refused = finance.get(f"{url}?header=spanish")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "header"
