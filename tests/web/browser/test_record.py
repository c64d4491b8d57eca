"""In a real browser, on the demo data: auditors browse and filter the record's events; each
event of a case's timeline links to its proof, and the proof page says which event it proves
and leads back to it."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from repatria.bootstrap import Container
from tests.web.browser.conftest import screenshot
from tests.web.browser.test_plain_words import demo_case_in
from tests.web.scenarios import sign_checkpoint

SignIn = Callable[[str], Page]


def test_an_auditor_filters_the_events_and_opens_one_proof(
    sign_in: SignIn, container: Container
) -> None:
    sign_checkpoint(container)
    page = sign_in("us-auditor")
    page.goto("/record")
    page.get_by_role("link", name="Browse and filter the events").click()
    page.get_by_label("What was done").select_option("CaseSubmitted")
    page.get_by_label("To what").select_option("case")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#events tbody tr")
    expect(rows.first).to_contain_text("CaseSubmitted")
    commands = [row.locator("td").nth(2).locator("code").inner_text() for row in rows.all()]
    assert commands and set(commands) == {"CaseSubmitted"}, commands
    expect(rows.first).to_contain_text("Submitted for screening")
    screenshot(page, "record-events")
    rows.first.get_by_role("link", name="inclusion proof").click()
    proved = page.locator("#proved-event")
    expect(proved).to_contain_text("(CaseSubmitted): submitted for screening on case")
    page.get_by_role("link", name="Back to the case").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+#event-\d+$"))


def test_the_timeline_links_each_event_to_its_proof_for_the_records_readers(
    sign_in: SignIn, container: Container
) -> None:
    sign_checkpoint(container)
    case_id = demo_case_in(container, "approved")
    page = sign_in("us-auditor")
    page.goto(f"/cases/{case_id}")
    events = page.locator("#timeline li")
    proofs = page.locator("#timeline li a", has_text="proof that it is in the record")
    expect(proofs).to_have_count(events.count())
    proofs.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inclusion proof of event")
    officer = sign_in("us-case-officer")
    officer.goto(f"/cases/{case_id}")
    expect(
        officer.locator("#timeline li a", has_text="proof that it is in the record")
    ).to_have_count(0)
