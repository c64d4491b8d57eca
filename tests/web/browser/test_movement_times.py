"""In a real browser, on the demo data: a movement records when it actually left and arrived,
the departure is confirmed on a page of its own that warns when it is far from the planned
day, and each movement says who acts next."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.movements import MovementState
from repatria.services import movements
from repatria.services.commands import MovementStep
from tests.web.browser.conftest import screenshot
from tests.web.scenarios import principal

SignIn = Callable[[str], Page]


def demo_movement(container: Container, state: MovementState) -> int:
    """The demo's (single) movement in a state."""
    with container.uow() as uow:
        found = uow.session.scalars(
            select(t.movements.c.id).where(t.movements.c.state == state)
        ).all()
    assert len(found) == 1, found
    return int(found[0])


def locked_movement(container: Container) -> int:
    """The demo's planned movement (two weeks ahead), its manifest locked."""
    movement_id = demo_movement(container, MovementState.PLANNED)
    with container.uow() as uow:
        movements.step(
            uow,
            principal(container, "us-case-officer"),
            movement_id,
            MovementStep(command="lock"),
        )
        uow.commit()
    return movement_id


def test_departure_is_confirmed_on_its_own_page_warned_when_far_from_the_plan_and_timed(
    sign_in: SignIn, container: Container
) -> None:
    movement_id = locked_movement(container)
    page = sign_in("us-case-officer")
    page.goto(f"/movements/{movement_id}")
    expect(page.locator("#who-next")).to_contain_text(
        "the United States' case officer records the departure"
    )
    page.get_by_role("link", name="Depart…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record the departure")
    expect(page.get_by_role("alert")).to_contain_text("days before the planned departure day")
    aboard = page.get_by_role("table", name=re.compile("Aboard: 1 of"))
    expect(aboard.locator("tbody tr")).to_have_count(1)
    expect(aboard.locator("tbody td").nth(1)).to_contain_text(",")  # a name, not an id
    screenshot(page, "movement-depart-confirm")
    left = (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)
    page.get_by_label("Departed at").fill(left.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Record the departure").click()
    expect(page.get_by_role("status")).to_contain_text("The departure is recorded")
    expect(page.get_by_role("status")).to_be_in_viewport()
    expect(page.locator("#movement-state")).to_have_text("departed")
    expect(page.locator("#departed-at")).to_contain_text(left.strftime("%H:%M"))
    expect(page.locator("#late")).to_contain_text("days before the planned departure day")
    expect(page.locator("#who-next")).to_contain_text("Mexico's case officer confirms arrival")
    with container.uow() as uow:
        stored = uow.session.scalar(
            select(t.movements.c.departed_at).where(t.movements.c.id == movement_id)
        )
    assert stored is not None and stored.replace(tzinfo=UTC) == left


def test_the_receiving_officer_confirms_arrival_with_its_time_never_before_departure(
    sign_in: SignIn, container: Container
) -> None:
    movement_id = demo_movement(container, MovementState.DEPARTED)
    page = sign_in("mx-case-officer")
    page.goto(f"/movements/{movement_id}")
    expect(page.locator("#who-next")).to_contain_text("Mexico's case officer confirms arrival")
    departed = page.locator("#departed-at").inner_text()
    assert departed and departed != "not yet", departed
    long_ago = "2020-01-01T08:00"
    page.get_by_label("Arrived at").fill(long_ago)
    page.get_by_role("button", name="Confirm arrival").click()
    expect(page.get_by_role("alert")).to_contain_text("everything typed is kept")
    expect(page.locator("#e-step-confirm_arrival-at")).to_contain_text("before the departure")
    expect(page.get_by_label("Arrived at")).to_have_value(long_ago)
    page.goto(f"/movements/{movement_id}")
    expect(page.locator("#movement-state")).to_have_text("departed")
    page.get_by_role("button", name="Confirm arrival").click()  # the time shown: now
    expect(page.get_by_role("status")).to_contain_text("The arrival is confirmed")
    expect(page.locator("#movement-state")).to_have_text("arrived")
    expect(page.locator("#arrived-at")).not_to_have_text("not yet")
