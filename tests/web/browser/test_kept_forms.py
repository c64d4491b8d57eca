"""In a real browser, on the demo data: a refused form comes back with what was typed and each
reason beside its field, its limits shown up front, and nothing stored."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.browser.conftest import screenshot

SignIn = Callable[[str], Page]


def people_count(container: Container) -> int:
    with container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(t.people)) or 0)


def test_a_refused_person_comes_back_as_typed_with_the_reasons_beside_the_fields(
    sign_in: SignIn, container: Container
) -> None:
    before = people_count(container)
    page = sign_in("us-case-officer")
    page.goto("/people")
    page.get_by_text("Record a person held by US").click()
    form = page.locator("#record-person form")
    expect(form).to_contain_text("two letters, such as MX")  # the limits, up front
    form.get_by_label("Family name").fill("Salazar Ortiz")
    form.get_by_label("Given names").fill("Mateo")
    form.get_by_label("Nationality (country code)").fill("mx")
    form.get_by_label("Offence (if serving a sentence)").fill("possession with intent")
    form.get_by_label("Offence category").select_option("drug_trafficking")
    form.get_by_label("Sentence length (days)").fill("1200")
    form.get_by_role("button", name="Record the person").click()
    form = page.locator("#record-person form")
    expect(form.get_by_role("alert")).to_contain_text("everything typed is kept")
    expect(form.get_by_label("Family name")).to_have_value("Salazar Ortiz")
    expect(form.get_by_label("Given names")).to_have_value("Mateo")
    expect(form.get_by_label("Nationality (country code)")).to_have_value("mx")
    expect(form.get_by_label("Offence category")).to_have_value("drug_trafficking")
    expect(form.get_by_label("Sentence length (days)")).to_have_value("1200")
    expect(form.get_by_label("Sentence start")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#e-person-sentence_start")).to_be_visible()
    expect(form.locator(".field-error")).to_have_count(1)
    screenshot(page, "person-form-refused")
    assert people_count(container) == before
    form.get_by_label("Sentence start").fill("2024-03-01")
    form.get_by_role("button", name="Record the person").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Salazar Ortiz")
    assert people_count(container) == before + 1


def test_a_refused_movement_plan_keeps_what_was_typed(
    sign_in: SignIn, container: Container
) -> None:
    with container.uow() as uow:
        planned = int(uow.session.scalar(select(func.count()).select_from(t.movements)) or 0)
    page = sign_in("us-case-officer")
    page.goto("/movements")
    page.get_by_text("Plan a movement from US").click()
    form = page.locator("#plan-movement form")
    expect(form).to_contain_text("1 to 1,000")
    form.get_by_label("Authority").select_option("us-mx-1976")
    form.get_by_label("To state (code)").fill("US")  # its own state: refused
    form.get_by_label("Seats").fill("12")
    form.get_by_label("Planned departure (UTC)").fill("2027-01-15T09:30")
    form.get_by_role("button", name="Plan the movement").click()
    form = page.locator("#plan-movement form")
    expect(form.get_by_role("alert")).to_contain_text("everything typed is kept")
    expect(form.get_by_role("alert")).to_contain_text("same state")  # a rule of the whole form
    expect(form.get_by_label("Authority")).to_have_value("us-mx-1976")
    expect(form.get_by_label("Seats")).to_have_value("12")
    expect(form.get_by_label("Planned departure (UTC)")).to_have_value("2027-01-15T09:30")
    with container.uow() as uow:
        assert (
            int(uow.session.scalar(select(func.count()).select_from(t.movements)) or 0) == planned
        )
