"""In a real browser: a case officer moves a case one step; scope by state; four eyes."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.browser.conftest import screenshot
from tests.web.scenarios import demo_case, treaty_case

SignIn = Callable[[str], Page]


def reference_of(container: Container, case_id: int) -> str:
    with container.uow() as uow:
        return str(uow.session.scalar(select(t.cases.c.reference).where(t.cases.c.id == case_id)))


def test_a_case_officer_opens_a_case_moves_it_one_step_and_sees_the_event(
    sign_in: SignIn, container: Container
) -> None:
    case_id = treaty_case(container)
    reference = reference_of(container, case_id)
    page = sign_in("us-case-officer")
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_label("Case state").select_option("draft")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=reference).click()
    expect(page).to_have_title(f"Case {reference} — Repatria")
    expect(page.locator("#case-state")).to_have_text("draft")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("#case-state")).to_have_text("screening")
    expect(page.get_by_role("status")).to_contain_text("Done: submit")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Submitted for screening")
    expect(timeline.locator("li").last).to_contain_text("by us-case-officer")
    expect(page.get_by_role("table", name="Every check, with its citation")).to_be_visible()
    screenshot(page, "case-page")


def test_a_mexican_reviewer_sees_only_the_cases_involving_mexico(
    sign_in: SignIn, container: Container
) -> None:
    page = sign_in("mx-reviewer")
    page.get_by_role("link", name="Cases", exact=True).click()
    pairs = page.locator("#results tbody tr td:nth-child(4)").all_inner_texts()
    assert pairs and all("MX" in pair.split(" → ") for pair in pairs), pairs
    screenshot(page, "cases-mx-reviewer")
    page.goto(f"/cases/{demo_case(container, 'inter-american-1993')}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not found")
    expect(page.get_by_role("alert")).to_contain_text("outside your state's cases")


def test_a_reviewer_cannot_approve_a_decision_they_prepared(
    sign_in: SignIn, container: Container, live_server: str
) -> None:
    case_id = treaty_case(container, through="screened")
    page = sign_in("us-reviewer")
    page.goto(f"/cases/{case_id}")
    prepare = page.get_by_role("form", name="prepare sending")
    prepare.get_by_label("Reasons (required)").fill("Good prospects of rehabilitation at home")
    prepare.get_by_role("button", name="Prepare sending").click()
    expect(page.locator("#blocked-approve_sending")).to_contain_text("Separation of duties")
    expect(page.get_by_role("button", name="Approve sending")).to_have_count(0)
    screenshot(page, "four-eyes")
    # Even a hand-made form is refused by the server, with a page that says why.
    token = page.locator('input[name="csrf_token"]').first.input_value()
    version = page.locator('input[name="version"]').first.input_value()
    answer = page.request.post(
        f"{live_server}/cases/{case_id}/steps",
        form={"command": "approve_sending", "version": version, "csrf_token": token},
    )
    assert answer.status == 403 and "separation of duties" in answer.text()
    page.reload()
    expect(page.locator("#case-state")).to_have_text("sending review")


def test_the_case_filters_apply_on_change_with_htmx_and_the_address_follows(
    sign_in: SignIn,
) -> None:
    page = sign_in("us-case-officer")
    page.goto("/cases")
    page.get_by_label("Case state").select_option("completed")
    expect(page).to_have_url(re.compile(r"/cases\?state=completed"))
    states = page.locator("#results tbody tr td:nth-child(5)")
    expect(states.first).to_have_text("completed")
    assert set(states.all_inner_texts()) == {"completed"}
