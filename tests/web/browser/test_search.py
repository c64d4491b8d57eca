"""In a real browser, on the demo data: the header's search finds a case by its reference,
people by name or identifier, and never what the user's state may not see."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container

SignIn = Callable[[str], Page]


def search(page: Page, text: str) -> None:
    page.get_by_role("searchbox", name="Search cases and people").fill(text)
    page.get_by_role("search").first.get_by_role("button", name="Search").click()


def test_a_case_reference_leads_straight_to_the_case(sign_in: SignIn, container: Container) -> None:
    with container.uow() as uow:
        reference = uow.session.scalar(
            select(t.cases.c.reference).where(t.cases.c.state == "draft").order_by(t.cases.c.id)
        )
    page = sign_in("us-case-officer")
    search(page, str(reference).lower())
    expect(page).to_have_title(f"Case {reference} — Repatria")


def test_a_name_finds_the_people_and_their_cases(sign_in: SignIn, container: Container) -> None:
    with container.uow() as uow:
        named = uow.session.scalars(
            select(t.people.c.family_name).where(t.people.c.family_name.contains("Ibarra"))
        ).all()
    assert len(named) >= 2, named  # the demo has more than one Ibarra
    page = sign_in("us-case-officer")
    search(page, "Zzyzx")
    expect(page.get_by_text("Nothing your state may see matches")).to_be_visible()
    search(page, "ibarra")
    people = page.get_by_role("table", name="People")
    expect(people.locator("tbody tr")).to_have_count(len(named))
    cases = page.get_by_role("table", name="Cases")
    expect(cases.locator("tbody tr").first).to_contain_text("Ibarra")


def test_an_identifier_finds_its_person(sign_in: SignIn, container: Container) -> None:
    with container.uow() as uow:
        person_id, value = uow.session.execute(
            select(t.identifiers.c.person_id, t.identifiers.c.value).order_by(t.identifiers.c.id)
        ).first()  # type: ignore[misc]
    page = sign_in("us-case-officer")
    search(page, value)
    people = page.get_by_role("table", name="People").locator("tbody tr")
    expect(people).to_have_count(1)
    expect(people.get_by_role("link")).to_have_attribute("href", f"/people/{person_id}")


def test_another_states_cases_are_not_found(sign_in: SignIn, container: Container) -> None:
    with container.uow() as uow:
        reference = uow.session.scalar(
            select(t.cases.c.reference).where(t.cases.c.to_state == "SV")
        )
    page = sign_in("mx-case-officer")
    search(page, str(reference))
    expect(page.get_by_text("Nothing your state may see matches")).to_be_visible()


def test_the_manifest_picker_offers_people_by_name(sign_in: SignIn, container: Container) -> None:
    with container.uow() as uow:
        movement = uow.session.scalar(
            select(t.movements.c.id).where(t.movements.c.state == "planned")
        )
        family = uow.session.scalar(
            select(t.people.c.family_name)
            .join(t.cases, t.cases.c.person_id == t.people.c.id)
            .where(t.cases.c.state == "approved")
        )
    page = sign_in("us-case-officer")
    page.goto(f"/movements/{movement}")
    picker = page.get_by_label("Put a cleared case on the manifest")
    expect(picker.locator("option").first).to_contain_text(f"{family}, ")
