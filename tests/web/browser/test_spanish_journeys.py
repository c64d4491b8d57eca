"""In Chromium, in Spanish (issue 20): a Mexican reviewer approves a case, a Salvadoran
facility administrator allocates arrivals to cells, a visitor reads the public statistics.
The browser asks for es-MX; every page on the way is Spanish, with no English word outside
citations, codes, names and what marks itself as another language."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from repatria.bootstrap import Container
from tests.entrypoints.web.test_facilities import record_facility, record_person
from tests.entrypoints.web.test_spanish_pages import _english
from tests.web.browser.conftest import screenshot
from tests.web.scenarios import step, treaty_case

Browsers = Callable[[str | None], TestClient]


@pytest.fixture
def spanish(browser: Browser, live_server: str) -> Iterator[Page]:
    """A browser whose language is Mexican Spanish (its Accept-Language says es-MX)."""
    context = browser.new_context(
        base_url=live_server, locale="es-MX", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def assert_spanish(page: Page) -> None:
    """The page says it is Spanish and shows no English word."""
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert _english(page.content()) == [], page.url


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    assert_spanish(page)
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill("repatria-demo")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page).to_have_title("Panel — Repatria")
    assert_spanish(page)


def test_a_mexican_reviewer_approves_a_case_in_spanish(spanish: Page, container: Container) -> None:
    case_id = treaty_case(container, through="screened")
    step(container, "us-reviewer", case_id, "approve_sending")
    sign_in(spanish, "mx-reviewer")
    spanish.get_by_role("link", name="Expedientes", exact=True).click()
    assert_spanish(spanish)
    spanish.goto(f"/cases/{case_id}")
    expect(spanish.locator("#case-state")).to_have_text("revisión del Estado receptor")
    assert_spanish(spanish)
    form = spanish.get_by_role("form", name="aprobar por el Estado receptor")
    form.get_by_label("Motivos (opcional)").fill("Se cumplen los requisitos del Tratado.")
    form.get_by_role("button", name="Aprobar por el Estado receptor").click()
    expect(spanish.locator("#case-state")).to_have_text("verificación del consentimiento")
    expect(spanish.get_by_role("status")).to_contain_text("Hecho: aprobar por el Estado receptor")
    assert_spanish(spanish)
    screenshot(spanish, "es-reviewer-approves")


def test_a_salvadoran_facility_administrator_allocates_arrivals_in_spanish(
    spanish: Page, browser_for: Browsers
) -> None:
    admin, officer = browser_for("sv-facility-admin"), browser_for("sv-case-officer")
    facility = record_facility(admin, "es-wing", "A, Ala A, a, 2, 14, 0, 2, min, shared")
    arriving = [record_person(officer, name) for name in ("Uno", "Dos")]
    sign_in(spanish, "sv-facility-admin")
    spanish.get_by_role("link", name="Centros", exact=True).click()
    assert_spanish(spanish)
    spanish.goto(facility)
    assert_spanish(spanish)
    spanish.get_by_role("link", name="Asignar celdas a las personas que arriban").click()
    assert_spanish(spanish)
    for person, name in zip(arriving, ("Uno", "Dos"), strict=True):
        level = spanish.get_by_label(f"Nivel de seguridad de Arriving, {name}")
        level.select_option(f"{person}:min")
    spanish.get_by_role("button", name="Asignar", exact=True).click()
    expect(spanish.get_by_role("heading", level=1)).to_contain_text("Asignación en")
    expect(spanish.locator("main")).to_contain_text("2 ubicadas, 0 reubicadas, 0 sin ubicar.")
    assert_spanish(spanish)
    spanish.get_by_role("link", name="Quién está interno en cada celda").click()
    assert_spanish(spanish)
    screenshot(spanish, "es-allocation")


def test_a_visitor_reads_the_public_statistics_in_spanish_and_switches_language(
    spanish: Page,
) -> None:
    spanish.goto("/statistics")
    expect(spanish).to_have_title("Estadísticas públicas — Repatria")
    assert_spanish(spanish)
    chart = spanish.locator("img.chart")
    expect(chart).to_have_attribute("src", "/statistics/transfers.svg?lang=es")
    screenshot(spanish, "es-statistics")
    spanish.get_by_role("link", name="English").click()
    expect(spanish).to_have_title("Public statistics — Repatria")
    expect(spanish.locator("html")).to_have_attribute("lang", "en")
    spanish.get_by_role("link", name="Español").click()
    expect(spanish).to_have_title("Estadísticas públicas — Repatria")
