"""The removal lifecycle through the API, in the order DESIGN.md §5 draws it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from tests.entrypoints.api.removals import (
    NOTICE,
    TODAY,
    new_person,
    ok,
    open_removal,
    record_notice,
    state_of,
    step,
)

Clients = Callable[[str], TestClient]


def test_a_removal_goes_from_final_order_to_delivered_with_a_block_and_resume(
    client_for: Clients,
) -> None:
    officer = client_for("us-case-officer")
    case_id = open_removal(officer, new_person(officer))
    reached = [state_of(officer, case_id)]
    for command, reason in [
        ("designate_destination", ""),
        ("block", "the person was taken to hospital"),
        ("resume", "discharged from hospital"),
        ("designate_destination", ""),
        ("serve_notice", ""),
        ("start_waiting_period", ""),
        ("clear", ""),
    ]:
        if command == "serve_notice":
            record_notice(officer, case_id)
        reached.append(ok(step(officer, case_id, command, reason))["case"]["state"])
    movement = ok(
        officer.post(
            "/api/v1/movements",
            json={
                "authority": "us-removal",
                "from_state": "US",
                "to_state": "MX",
                "seats": 5,
                "planned_departure": f"{TODAY.isoformat()}T12:00:00Z",
            },
        ),
        201,
    )
    steps = f"/api/v1/movements/{movement['id']}/steps"
    ok(officer.post(f"/api/v1/movements/{movement['id']}/manifest", json={"case_id": case_id}), 201)
    reached.append(state_of(officer, case_id))
    assert ok(officer.post(steps, json={"command": "lock"}))["removed"] == []
    assert ok(officer.post(steps, json={"command": "depart"}))["removed"] == []
    reached.append(state_of(officer, case_id))
    ok(client_for("mx-case-officer").post(steps, json={"command": "confirm_arrival"}))
    reached.append(state_of(officer, case_id))
    assert reached == [
        "order_final",
        "destination_designated",
        "blocked",
        "order_final",
        "destination_designated",
        "notice_served",
        "waiting_period",
        "cleared",
        "scheduled",
        "in_transit",
        "delivered",
    ]


def test_a_destination_is_designated_before_the_notice_of_it_is_served(
    client_for: Clients,
) -> None:
    officer = client_for("us-case-officer")
    case_id = open_removal(officer, new_person(officer))
    designated = ok(step(officer, case_id, "designate_destination"))
    assert designated["case"]["state"] == "destination_designated"


def test_the_waiting_period_does_not_start_while_no_notice_is_on_file(
    client_for: Clients,
) -> None:
    # Until the person has been told of the destination, whether they fear it is unknown,
    # and an unknown may never let a removal go on past the notice.
    officer = client_for("us-case-officer")
    case_id = open_removal(officer, new_person(officer))
    ok(step(officer, case_id, "designate_destination"))
    ok(step(officer, case_id, "serve_notice"))
    refused = step(officer, case_id, "start_waiting_period")
    assert refused.status_code == 409
    assert {(c["ground"], c["outcome"]) for c in refused.json()["checks"]} == {
        ("HOLD", "unknown"),
        ("PROTECTION_ORDER", "unknown"),
    }
    assert state_of(officer, case_id) == "notice_served"


def test_a_third_country_removal_is_not_cleared_until_the_notice_names_the_country(
    client_for: Clients,
) -> None:
    # The order designates MX and GT; El Salvador is a third country, which the written
    # notice must name before the person can be said to have been told where they go.
    officer = client_for("us-case-officer")
    person_id = new_person(officer)
    body = {"person_id": person_id, "authority": "us-third-country-removal", "from_state": "US"}
    case_id = int(ok(officer.post("/api/v1/cases", json={**body, "to_state": "SV"}), 201)["id"])
    # El Salvador has accepted the person, and no diplomatic assurances are relied on.
    third_country = {
        "removal_order_destination_accepts": True,
        "removal_order_assurances_relied_on": False,
    }
    ok(officer.put(f"/api/v1/cases/{case_id}/facts", json=third_country))
    ok(step(officer, case_id, "designate_destination"))
    record_notice(officer, case_id)  # no country named
    for command in ("serve_notice", "start_waiting_period"):
        ok(step(officer, case_id, command))
    refused = step(officer, case_id, "clear")
    assert refused.status_code == 409
    content = "us-third-country-removal/notice-content"
    assert (content, "unknown") in {(c["rule"], c["outcome"]) for c in refused.json()["checks"]}

    named = {**NOTICE, "served_at": datetime.now(UTC).isoformat(), "country": "SV"}
    ok(officer.post(f"/api/v1/cases/{case_id}/notices", json=named))
    events = ok(officer.get(f"/api/v1/cases/{case_id}/timeline"))["events"]
    assert [e["after"].get("country") for e in events if e["command"] == "NoticeRecorded"] == [
        None,
        "SV",
    ]
    again = step(officer, case_id, "clear")
    assert content not in {c["rule"] for c in again.json().get("checks", [])}


def test_a_third_country_removal_waits_for_the_country_to_accept_the_person(
    client_for: Clients,
) -> None:
    # 8 U.S.C. § 1231(b)(2): removal to a country whose government will accept the person.
    officer = client_for("us-case-officer")
    body = {"person_id": new_person(officer), "authority": "us-third-country-removal"}
    case = ok(
        officer.post("/api/v1/cases", json={**body, "from_state": "US", "to_state": "SV"}), 201
    )
    refused = step(officer, int(case["id"]), "designate_destination")
    assert refused.status_code == 409
    accepts = "us-third-country-removal/destination-accepts"
    assert (accepts, "unknown") in {(c["rule"], c["outcome"]) for c in refused.json()["checks"]}
    facts = {"removal_order_destination_accepts": True, "removal_order_assurances_relied_on": False}
    ok(officer.put(f"/api/v1/cases/{case['id']}/facts", json=facts))
    ok(step(officer, int(case["id"]), "designate_destination"))
