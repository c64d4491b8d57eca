"""In a real browser, on the demo data: the case page's assessment speaks to an official (one
sentence for the stage, what the law requires beside each check, no code values, official
sources first), shows the facts just recorded, and says which advisement a hearing missed."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.entrypoints.web.plain_words import Source
from repatria.law.catalog import load_catalog
from tests.web.browser.conftest import screenshot
from tests.web.scenarios import demo_case

SignIn = Callable[[str], Page]
# What an official should never have to read: Python lists, booleans and snake_case values.
CODE_VALUES = re.compile(r"\[\s*'|= True|= False|\b[a-z]+_[a-z]+(?:_[a-z]+)*\b")


def demo_case_in(container: Container, state: str) -> int:
    """The demo's US-Mexico case at a stage of the treaty lifecycle."""
    with container.uow() as uow:
        found = uow.session.scalars(
            select(t.cases.c.id).where(
                t.cases.c.state == state, t.cases.c.authority == "us-mx-1976"
            )
        ).all()
    assert len(found) == 1, found
    return int(found[0])


def assessment_text(page: Page) -> str:
    return page.locator("section[aria-labelledby='h-assessment']").inner_text()


def test_a_draft_says_it_may_be_submitted_in_plain_words_with_the_law_beside_each_check(
    sign_in: SignIn, container: Container
) -> None:
    page = sign_in("us-case-officer")
    page.goto(f"/cases/{demo_case_in(container, 'draft')}")
    stage = page.locator("#stage")
    expect(stage).to_contain_text("May be submitted for screening")
    expect(stage).not_to_have_class(re.compile("stopped"))
    expect(page.locator("#who-next")).to_contain_text("case officer submits it for screening")
    text = assessment_text(page)
    assert "Not allowed" not in text
    assert not CODE_VALUES.search(text.replace("us-mx-1976", "")), CODE_VALUES.search(text)
    # The law page's "what it requires" is beside each check.
    catalog = load_catalog()
    consent = next(
        r for o, r in catalog.rules_for("us-mx-1976") if o.id == "us-mx-1976" and r.id == "consent"
    )
    table = page.get_by_role("table", name="Every check, with its citation")
    expect(table).to_contain_text(consent.description)
    expect(table).to_contain_text("drug trafficking")
    screenshot(page, "case-plain-words")


def test_official_sources_come_first_and_are_links(sign_in: SignIn, container: Container) -> None:
    page = sign_in("us-case-officer")
    page.goto(f"/cases/{demo_case_in(container, 'draft')}")
    cells = page.locator("table.checks td.cite").all()
    assert cells
    seen_official = False
    for cell in cells:
        urls = [a.get_attribute("href") or "" for a in cell.locator("a").all()]
        official = [Source("", url).official for url in urls]
        # No unofficial link before an official one in the same check.
        assert official == sorted(official, reverse=True), urls
        seen_official = seen_official or any(official)
    assert seen_official, "no official source is linked on the page"


def test_the_receiving_reviewer_is_not_told_not_allowed_for_the_approval_they_give(
    sign_in: SignIn, container: Container
) -> None:
    page = sign_in("mx-reviewer")
    page.goto(f"/cases/{demo_case_in(container, 'receiving_review')}")
    expect(page.locator("#stage")).to_contain_text("May be approved by the receiving state")
    expect(page.locator("#stage")).not_to_have_class(re.compile("stopped"))
    expect(page.locator("#who-next")).to_contain_text("Mexico's reviewing official")
    assert "Not allowed" not in assessment_text(page)


def test_after_recording_facts_the_assessment_uses_them(
    sign_in: SignIn, container: Container
) -> None:
    page = sign_in("us-case-officer")
    page.goto(f"/cases/{demo_case(container, 'inter-american-1993')}")
    stage = page.locator("#stage")
    expect(stage).to_contain_text("still missing: dual criminality, other pending charges")
    expect(stage).to_contain_text("record the facts")
    page.get_by_text("Assert facts for the legal engine").click()
    page.get_by_label("The offence is a crime in both states").select_option("yes")
    page.get_by_label("Other charges are pending").select_option("no")
    page.get_by_role("button", name="Record the facts").click()
    expect(page.get_by_role("status")).to_contain_text("The facts were recorded")
    expect(page.get_by_role("status")).to_be_in_viewport()
    expect(stage).to_contain_text("May be submitted for screening")
    expect(stage).not_to_contain_text("still missing")
    rows = page.locator("table.checks tbody tr", has_text="Dual criminality")
    expect(rows.first).to_be_visible()
    for row in rows.all():
        expect(row.locator(".outcome")).to_have_text("met")


def test_a_hearing_without_an_advisement_says_which_one_is_missing(
    sign_in: SignIn, container: Container
) -> None:
    page = sign_in("us-verifier")
    page.goto(f"/cases/{demo_case_in(container, 'consent_verification')}")
    page.get_by_label("Verifying officer").fill("Hon. Ana Ruiz")
    for label in ("Only US courts", "carried out under the", "returned if the transfer"):
        page.get_by_label(re.compile(label)).check()
    page.get_by_label("consents", exact=True).check()
    page.get_by_label("Recording reference").fill("AUD-2026-77")
    page.get_by_label("Language of the hearing").fill("Spanish")
    page.get_by_label("Interpreter").fill("Lucía Prado, court interpreter")
    page.get_by_role("button", name="Record the hearing").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("consent is not verified")
    expect(status).to_be_in_viewport()
    hearing = page.locator("li.hearing").last
    expect(hearing).to_have_class(re.compile("incomplete"))
    expect(hearing).to_contain_text("Consent, once verified, is irrevocable")
    expect(hearing).to_contain_text("Held in Spanish. Interpreted by Lucía Prado")
    expect(page.locator("#case-state")).to_have_text("consent verification")


def test_a_stored_assessment_reads_in_plain_words_too(
    sign_in: SignIn, container: Container
) -> None:
    with container.uow() as uow:
        assessment = uow.session.scalar(
            select(t.assessments.c.id)
            .where(t.assessments.c.to_state == "MX")
            .order_by(t.assessments.c.id)
        )
    page = sign_in("us-case-officer")
    page.goto(f"/assessments/{assessment}")
    table = page.get_by_role("table", name="Every check, with its citation")
    expect(table).to_contain_text("What the law requires")
    words = table.inner_text()
    for code in ("['", "= True", "drug_trafficking", "excluded_offense_categories"):
        assert code not in words, code
