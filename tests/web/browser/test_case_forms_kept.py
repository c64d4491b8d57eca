"""In a real browser, on the demo data: the case page's forms (facts, steps, consent hearing)
come back as typed when refused, each reason beside its field, and nothing stored; and a date
is typed the way the pages write dates, in English and in Spanish, or in ISO."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.entrypoints.web.test_facilities import record_person
from tests.web.browser.conftest import screenshot
from tests.web.browser.test_plain_words import demo_case_in

SignIn = Callable[[str], Page]


def received_on(container: Container, case_id: int) -> date | None:
    with container.uow() as uow:
        return uow.session.scalar(
            select(t.cases.c.request_received_on).where(t.cases.c.id == case_id)
        )


def open_facts(page: Page, case_id: int) -> None:
    page.goto(f"/cases/{case_id}")
    page.get_by_text("Assert facts for the legal engine").click()


def test_a_refused_facts_form_comes_back_typed_and_nothing_is_stored(
    sign_in: SignIn, container: Container
) -> None:
    case_id = demo_case_in(container, "draft")
    before = received_on(container, case_id)
    page = sign_in("us-case-officer")
    open_facts(page, case_id)
    form = page.locator("#facts-form form")
    expect(form).to_contain_text("a date, such as Dec 7, 2026")  # the way to write it, up front
    form.get_by_label("Request received on").fill("Feb 30, 2026")
    form.get_by_label("Other charges are pending").select_option("no")
    form.get_by_role("button", name="Record the facts").click()
    form = page.locator("#facts-form form")
    expect(form.get_by_role("alert")).to_contain_text("everything typed is kept")
    expect(form.get_by_label("Request received on")).to_have_value("Feb 30, 2026")
    expect(form.get_by_label("Request received on")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#e-facts-request_received_on")).to_contain_text("must be a date")
    expect(form.get_by_label("Other charges are pending")).to_have_value("no")
    screenshot(page, "facts-form-refused")
    assert received_on(container, case_id) == before
    form.get_by_label("Request received on").fill("Jan 13, 2025")
    form.get_by_role("button", name="Record the facts").click()
    expect(page.get_by_role("status")).to_contain_text("The facts were recorded")
    assert received_on(container, case_id) == date(2025, 1, 13)


@pytest.fixture
def spanish(browser: Browser, live_server: str) -> Iterator[Page]:
    """A browser whose language is Mexican Spanish (its Accept-Language says es-MX)."""
    context = browser.new_context(
        base_url=live_server, locale="es-MX", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("13/01/2025", date(2025, 1, 13)),
        ("13 ene 2025", date(2025, 1, 13)),
        ("2025-01-14", date(2025, 1, 14)),
    ],
)
def test_a_date_is_typed_in_spanish_as_the_pages_write_it(
    spanish: Page, container: Container, typed: str, day: date
) -> None:
    case_id = demo_case_in(container, "draft")
    spanish.goto("/login")
    spanish.get_by_label("Nombre de usuario").fill("us-case-officer")
    spanish.get_by_label("Contraseña").fill("repatria-demo")
    spanish.get_by_role("button", name="Iniciar sesión").click()
    spanish.goto(f"/cases/{case_id}")
    spanish.get_by_text("Registrar hechos para el motor jurídico").click()
    form = spanish.locator("#facts-form form")
    expect(form).to_contain_text("una fecha, como 7 dic 2026")
    form.get_by_label("Solicitud recibida el").fill(typed)
    form.get_by_role("button", name="Registrar los hechos").click()
    expect(spanish.get_by_role("status")).to_contain_text("Se registraron los hechos")
    assert received_on(container, case_id) == day
    spanish.get_by_text("Registrar hechos para el motor jurídico").click()
    shown = day.strftime("%-d ") + {1: "ene"}[day.month] + day.strftime(" %Y")
    expect(form.get_by_label("Solicitud recibida el")).to_have_value(shown)


def test_a_refused_hearing_keeps_every_answer_typed(sign_in: SignIn, container: Container) -> None:
    case_id = demo_case_in(container, "consent_verification")
    page = sign_in("us-verifier")
    page.goto(f"/cases/{case_id}")
    form = page.locator("#consent-form")
    form.get_by_label("Verifying officer").fill("Judge A. Moreno")
    form.get_by_label("Capacity").select_option("magistrate_judge")
    form.get_by_label("Hearing date").fill("31/31/2026")
    form.get_by_label("waived").check()
    form.get_by_label("consents", exact=True).check()
    form.get_by_label("Recording reference").fill("CVH-77")
    form.get_by_label("Language of the hearing").fill("Spanish")
    form.locator("#adv-1").check()
    form.get_by_role("button", name="Record the hearing").click()
    form = page.locator("#consent-form")
    expect(form.get_by_role("alert")).to_contain_text("The hearing was not recorded")
    expect(form.get_by_label("Verifying officer")).to_have_value("Judge A. Moreno")
    expect(form.get_by_label("Hearing date")).to_have_value("31/31/2026")
    expect(form.locator("#e-consent-verified_on")).to_contain_text("must be a date")
    expect(form.get_by_label("waived")).to_be_checked()
    expect(form.get_by_label("consents", exact=True)).to_be_checked()
    expect(form.locator("#adv-1")).to_be_checked()
    expect(form.locator("#adv-2")).not_to_be_checked()
    expect(form.get_by_label("Language of the hearing")).to_have_value("Spanish")
    with container.uow() as uow:
        hearings = uow.session.scalars(
            select(t.consent_verifications.c.id).where(t.consent_verifications.c.case_id == case_id)
        ).all()
    assert hearings == []


def test_a_refused_allocation_keeps_the_arrivals_chosen_and_places_nobody(
    sign_in: SignIn, container: Container, browser_for: Callable[[str], TestClient]
) -> None:
    record_person(browser_for("sv-case-officer"), "Expected")  # held by SV, in no cell
    with container.uow() as uow:
        facility = uow.session.scalar(select(t.facilities.c.id).where(t.facilities.c.state == "SV"))
        held = uow.session.scalar(select(func.count()).select_from(t.stays))
    page = sign_in("sv-facility-admin")
    page.goto(f"/facilities/{facility}/allocations/new")
    form = page.locator("#allocation-form")
    chosen = form.locator("select[name=arrival]").first
    level = chosen.locator("option").nth(1).get_attribute("value")
    assert level
    chosen.select_option(level)
    form.get_by_label("Arrival day").fill("31/31/2026")
    form.get_by_label("Rival groups").fill("G1, G2")
    form.get_by_role("button", name="Allocate").click()
    form = page.locator("#allocation-form")
    expect(form.get_by_role("alert")).to_contain_text("Nobody was placed")
    expect(form.locator("#e-allocation-on")).to_contain_text("must be a date")
    expect(form.get_by_label("Arrival day")).to_have_value("31/31/2026")
    expect(form.locator("select[name=arrival]").first).to_have_value(level)
    expect(form.get_by_label("Rival groups")).to_have_value("G1, G2")
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.stays)) == held


def test_a_facility_whose_cells_do_not_read_comes_back_as_typed(
    sign_in: SignIn, container: Container
) -> None:
    page = sign_in("sv-facility-admin")
    page.goto("/facilities/new")
    form = page.locator("#facility-form")
    expect(form).to_contain_text("letters, digits, dots, dashes; up to 40 characters")
    form.get_by_label("Code").fill("wing-b.2")
    form.get_by_label("Name").fill("Wing B")
    form.get_by_label("Space standard the operator chose").select_option("ICRC")
    form.get_by_label("Units and cells").fill("B, Wing B, b, 2, 14")
    form.get_by_role("button", name="Record the facility").click()
    form = page.locator("#facility-form")
    expect(form.locator("#e-facility-cells")).to_contain_text("line 1: 9 to 10 values, not 5")
    expect(form.get_by_label("Code")).to_have_value("wing-b.2")
    expect(form.get_by_label("Space standard the operator chose")).to_have_value("ICRC")
    expect(form.get_by_label("Units and cells")).to_have_value("B, Wing B, b, 2, 14")
    form.get_by_label("Units and cells").fill("B, Wing B, b, 2, 14, 0, 2, min, shared")
    form.get_by_role("button", name="Record the facility").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wing B")
