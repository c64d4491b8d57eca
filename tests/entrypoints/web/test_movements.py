"""Movements through the forms: plan one, fill its manifest, lock, depart and arrive."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from repatria.bootstrap import Container
from repatria.domain.movements import Movement, MovementState
from repatria.entrypoints.web.movements import off_plan
from repatria.i18n import use_locale
from tests.web.conftest import csrf_of
from tests.web.scenarios import TODAY, treaty_case

Browsers = Callable[[str | None], TestClient]


def move(client: TestClient, movement: str, command: str) -> str:
    # A departure is recorded from the page that confirms it.
    page = client.get(f"{movement}/depart" if command == "depart" else movement).text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version, f"no step form on {movement}"
    response = client.post(
        f"{movement}/steps",
        data={"command": command, "version": version.group(1), "csrf_token": csrf_of(page)},
    )
    assert response.status_code == 200, response.text
    return response.text


def test_a_movement_is_planned_filled_and_completed_through_the_forms(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="approved")
    officer = browser_for("us-case-officer")
    planned = officer.post(
        "/movements",
        data={
            "authority": "us-mx-1976",
            "to_state": "MX",
            "seats": "10",
            "planned_departure": f"{TODAY.isoformat()}T12:00",
            "csrf_token": csrf_of(officer.get("/movements").text),
        },
    )
    assert planned.status_code == 200 and "planned" in planned.text
    movement = str(planned.url.path)
    added = officer.post(
        f"{movement}/manifest",
        data={"case_id": str(case_id), "csrf_token": csrf_of(planned.text)},
    )
    assert "Manifest: 1 aboard of 10 seats" in added.text
    move(officer, movement, "lock")
    departed = move(officer, movement, "depart")
    assert 'id="movement-state">departed</span>' in departed
    arrived = move(browser_for("mx-case-officer"), movement, "confirm_arrival")
    assert 'id="movement-state">arrived</span>' in arrived
    case_page = officer.get(f"/cases/{case_id}").text
    assert (
        'id="case-state">completed<' in case_page
        and "<strong>Arrival confirmed</strong>" in case_page
    )


def test_another_state_cannot_see_the_movement(browser_for: Browsers) -> None:
    listing = browser_for("us-case-officer").get("/movements").text
    movement = re.search(r'href="(/movements/\d+)"', listing)
    assert movement
    assert browser_for("sv-case-officer").get(movement.group(1)).status_code == 404


def test_a_departure_far_from_the_plan_is_said_in_the_readers_language() -> None:
    planned = datetime(2026, 12, 10, 9, tzinfo=UTC)
    movement = Movement(
        "us-mx-1976", "US", "MX", 185, 13, planned, MovementState.PLANNED, 1, planned, planned
    )
    early = planned - timedelta(days=3)
    assert off_plan(movement, planned + timedelta(days=1)) == ""  # within a day: no warning
    with use_locale("en_US"):
        assert off_plan(movement, early) == "3 days before the planned departure day (Dec 10, 2026)"
    with use_locale("es_MX"):
        assert (
            off_plan(movement, early) == "3 días antes del día de salida programado (10 dic 2026)"
        )
        late = off_plan(movement, planned + timedelta(days=2))
        assert late == "2 días después del día de salida programado (10 dic 2026)"
