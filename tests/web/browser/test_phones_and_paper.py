"""In a real browser, on the demo data: at 390 px wide (a phone) no main page scrolls
sideways, and printing a case, a movement or a facility prints its content without the
navigation and the forms."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.browser.conftest import screenshot

PHONE = {"width": 390, "height": 844}


def first_id(container: Container, table: t.Table, *where: object) -> int:
    with container.uow() as uow:
        found = uow.session.scalar(select(table.c.id).where(*where).order_by(table.c.id))
    assert found is not None, table.name
    return int(found)


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[Page]:
    """A phone-sized browser context on the live server."""
    context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def signed_in(page: Page, username: str) -> Page:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("repatria-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Dashboard — Repatria")
    return page


def sideways_overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scrolling)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    return int(width) - int(page.evaluate("() => document.documentElement.clientWidth"))


def main_pages(container: Container) -> dict[str, list[str]]:
    """The main pages, by the demo user who works them."""
    case = first_id(container, t.cases, t.cases.c.state == "receiving_review")
    draft = first_id(container, t.cases, t.cases.c.state == "draft")
    movement = first_id(container, t.movements)
    facility = first_id(container, t.facilities)
    contract = first_id(container, t.custody_contracts)
    person = first_id(container, t.people)
    assessment = first_id(container, t.assessments)
    return {
        "us-case-officer": [
            "/dashboard",
            "/cases",
            f"/cases/{case}",
            f"/cases/{draft}",
            "/people",
            f"/people/{person}",
            "/movements",
            f"/movements/{movement}",
            "/assessments/new",
            f"/assessments/{assessment}",
            "/law",
            "/law/us-mx-1976",
            "/account",
            "/search?q=ibarra",
        ],
        "sv-facility-admin": [
            "/facilities",
            f"/facilities/{facility}",
            f"/facilities/{facility}/stays",
            f"/facilities/{facility}/allocations/new",
        ],
        "us-finance": ["/contracts", f"/contracts/{contract}", "/savings"],
        "us-auditor": ["/record", "/record/events"],
        "us-admin": ["/admin"],
    }


def test_no_main_page_scrolls_sideways_on_a_phone(phone: Page, container: Container) -> None:
    phone.goto("/statistics")
    too_wide = {"/statistics": sideways_overflow(phone)}
    phone.goto("/login")
    too_wide["/login"] = sideways_overflow(phone)
    for username, paths in main_pages(container).items():
        phone.context.clear_cookies()
        signed_in(phone, username)
        for path in paths:
            response = phone.goto(path)
            assert response is not None and response.status == 200, path
            too_wide[path] = sideways_overflow(phone)
    screenshot(phone, "phone-record")
    assert {path: px for path, px in too_wide.items() if px > 0} == {}


def test_a_wide_table_scrolls_inside_itself_on_a_phone(phone: Page, container: Container) -> None:
    signed_in(phone, "us-case-officer")
    phone.goto(f"/cases/{first_id(container, t.cases, t.cases.c.state == 'draft')}")
    checks = phone.get_by_role("table", name="Every check, with its citation")
    box = checks.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(phone, "phone-case")


@pytest.mark.parametrize("what", ["case", "movement", "facility"])
def test_printing_shows_the_content_without_navigation_or_forms(
    sign_in: Callable[[str], Page], container: Container, what: str
) -> None:
    username = "sv-facility-admin" if what == "facility" else "us-case-officer"
    page = sign_in(username)
    path = {
        "case": f"/cases/{first_id(container, t.cases, t.cases.c.state == 'draft')}",
        "movement": f"/movements/{first_id(container, t.movements)}",
        "facility": f"/facilities/{first_id(container, t.facilities)}",
    }[what]
    page.goto(path)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    for form in page.locator("main form").all():
        expect(form).to_be_hidden()
    expect(page.get_by_role("table").first).to_be_visible()
