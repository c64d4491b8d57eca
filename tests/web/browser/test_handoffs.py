"""In a real browser, on the demo data: the receiving side sees what is on its way and whose
move it is; a denial and the end of a stay are confirmed before they happen, and people are
named where they appear."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.browser.conftest import screenshot
from tests.web.browser.test_plain_words import demo_case_in

SignIn = Callable[[str], Page]


def test_the_receiving_officer_sees_the_movement_in_flight_and_that_the_next_move_is_theirs(
    sign_in: SignIn, container: Container
) -> None:
    page = sign_in("mx-case-officer")
    flight = page.get_by_role("region", name="In flight to Mexico")
    expect(flight).to_contain_text("us-mx-1976 US→MX")
    expect(flight).to_contain_text("Next: Mexico's case officer confirms arrival")
    case_id = demo_case_in(container, "in_transit")
    with container.uow() as uow:
        family = uow.session.scalar(
            select(t.people.c.family_name)
            .join(t.cases, t.cases.c.person_id == t.people.c.id)
            .where(t.cases.c.id == case_id)
        )
    mine = page.locator("#mine li", has=page.locator(f"a[href='/cases/{case_id}']"))
    expect(mine).to_contain_text(str(family))
    expect(mine).to_contain_text("Next: Mexico's case officer confirms arrival")
    screenshot(page, "dashboard-receiving-officer")


def test_a_denial_is_confirmed_with_the_reasons_kept_and_can_be_left(
    sign_in: SignIn, container: Container
) -> None:
    case_id = demo_case_in(container, "receiving_review")
    page = sign_in("mx-reviewer")
    page.goto(f"/cases/{case_id}")
    deny = page.get_by_role("form", name="deny")
    expect(deny).to_have_class(re.compile("danger"))
    deny.get_by_label("Reasons (required)").fill("Family ties are in the United States.")
    deny.get_by_role("button", name="Deny").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Deny case")
    expect(page.get_by_text("ends here for good")).to_be_visible()
    reasons = page.get_by_label(re.compile("Reasons"))
    expect(reasons).to_have_value("Family ties are in the United States.")
    screenshot(page, "deny-confirm")
    page.get_by_role("link", name="Go back without denying").click()
    expect(page.locator("#case-state")).to_have_text(re.compile("receiving .*review"))
    page.get_by_role("form", name="deny").get_by_label("Reasons (required)").fill("No ties.")
    page.get_by_role("form", name="deny").get_by_role("button", name="Deny").click()
    page.get_by_role("button", name="Deny the transfer").click()
    expect(page.locator("#case-state")).to_have_text("denied")
    expect(page.get_by_role("status")).to_be_in_viewport()


def test_ending_a_stay_names_the_person_and_asks_first(
    sign_in: SignIn, container: Container
) -> None:
    with container.uow() as uow:
        facility_id = uow.session.scalar(
            select(t.facilities.c.id).where(t.facilities.c.state == "SV")
        )
    page = sign_in("sv-facility-admin")
    page.goto(f"/facilities/{facility_id}/stays")
    first = page.locator("td ul li").first
    name = first.get_by_role("link").inner_text()
    assert ", " in name and not re.fullmatch(r"person \d+", name), name  # not "person 29"
    held = page.locator("td ul li").count()
    first.get_by_role("button", name=re.compile("End the stay")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"End the stay of {name}?")
    page.get_by_role("link", name="Go back without ending it").click()
    expect(page.locator("td ul li")).to_have_count(held)
    page.locator("td ul li").first.get_by_role("button", name=re.compile("End the stay")).click()
    page.get_by_role("button", name="End the stay", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The stay was ended")
    expect(page.locator("td ul li")).to_have_count(held - 1)
