"""In a real browser: public statistics with small counts suppressed; screenshots of the
main pages; keyboard access."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from repatria.bootstrap import Container
from tests.web.browser.conftest import screenshot
from tests.web.scenarios import sign_checkpoint

SignIn = Callable[[str], Page]


def test_the_public_statistics_page_suppresses_small_counts(page: Page) -> None:
    page.goto("/statistics")
    expect(page).to_have_title("Public statistics — Repatria")
    counts = page.locator("table tbody td.num").all_inner_texts()
    assert "<5" in counts and "13" in counts
    assert not {"1", "2", "3", "4"} & set(counts), counts
    chart = page.get_by_role("img", name="Bar chart of people moved per year")
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.naturalWidth") > 0
    screenshot(page, "statistics")


def test_the_first_tab_reaches_the_skip_link(page: Page) -> None:
    page.goto("/statistics")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")


def test_screenshots_of_the_main_pages(sign_in: SignIn, container: Container) -> None:
    sign_checkpoint(container)
    page = sign_in("us-case-officer")
    screenshot(page, "dashboard")
    for name, label in (("cases", "Cases"), ("people", "People"), ("movements", "Movements")):
        page.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(label)
        screenshot(page, name)
    page.locator("#main a[href^='/movements/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Movement")
    screenshot(page, "movement")
    page.get_by_role("link", name="Law", exact=True).click()
    screenshot(page, "law")
    page.goto("/law/us-mx-1976")
    expect(page.get_by_role("heading", name="Rules")).to_be_visible()
    screenshot(page, "law-authority")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_title("Sign in — Repatria")
    screenshot(page, "login")
    page = sign_in("us-auditor")
    page.get_by_role("link", name="Record", exact=True).click()
    page.get_by_role("button", name="Verify the log now").click()
    expect(page.locator("#verify-result")).to_contain_text("Intact")
    screenshot(page, "record")
    page.get_by_role("button", name="Sign out").click()
    page = sign_in("us-finance")
    page.get_by_role("link", name="Facilities", exact=True).click()
    page.locator("#main a[href^='/facilities/']").first.click()
    expect(page.get_by_role("table", name="Unit by unit")).to_be_visible()
    screenshot(page, "facility")
    for name, label in (("contracts", "Contracts"), ("savings", "Savings")):
        page.get_by_role("link", name=label, exact=True).click()
        screenshot(page, name)
