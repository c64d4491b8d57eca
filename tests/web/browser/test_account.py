"""In a real browser: changing one's password, an administrator's one-time password and
deactivation, signing out everywhere (an API token included)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.web.browser.conftest import screenshot

SignIn = Callable[[str], Page]
NEW_PASSWORD = re.compile(r"^New password \(")


def _sign_in_with(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _choose_password(page: Page, current: str, new: str) -> None:
    page.get_by_label("Current password").fill(current)
    page.get_by_label(NEW_PASSWORD).fill(new)
    page.get_by_label("New password again").fill(new)
    page.get_by_role("button", name="Change the password").click()


@contextmanager
def _another_browser(browser: Browser, live_server: str) -> Iterator[Page]:
    """A second person at their own browser (no cookies shared with `page`)."""
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_user_changes_their_password_then_signs_in_with_the_new_one(sign_in: SignIn) -> None:
    page = sign_in("us-case-officer")
    page.get_by_role("link", name="Account", exact=True).click()
    page.get_by_role("link", name="Change your password").click()
    expect(page).to_have_title("Change your password — Repatria")
    expect(page.get_by_label("Username", exact=True)).to_have_value("us-case-officer")
    _choose_password(page, "repatria-demo", "password123")
    expect(page.locator("#new_password-error")).to_contain_text("too easy to guess")
    expect(page.get_by_role("alert")).to_contain_text("New password:")
    expect(page.get_by_label("Current password")).to_have_value("")  # never sent back
    screenshot(page, "password-refused")
    _choose_password(page, "repatria-demo", "quiet-harbour-71")
    expect(page).to_have_title("Sign in — Repatria")
    expect(page.get_by_role("status")).to_contain_text("sign in with the new one")
    _sign_in_with(page, "us-case-officer", "repatria-demo")
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    _sign_in_with(page, "us-case-officer", "quiet-harbour-71")
    expect(page).to_have_title("Dashboard — Repatria")


def test_a_user_reset_by_an_administrator_must_choose_a_new_password_at_next_sign_in(
    sign_in: SignIn,
) -> None:
    page = sign_in("mx-admin")
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="mx-reviewer", exact=True).click()
    page.get_by_role("button", name="Issue a one-time password").click()
    one_time = page.locator("#one-time-password").inner_text().strip()
    expect(page.locator("#user-status")).to_contain_text("must set a new password")
    screenshot(page, "one-time-password")
    page.get_by_role("button", name="Sign out", exact=True).click()

    _sign_in_with(page, "mx-reviewer", one_time)
    expect(page).to_have_title("Change your password — Repatria")
    expect(page.locator("#reset-notice")).to_contain_text("An administrator has reset")
    expect(page.get_by_label("Username", exact=True)).to_have_value("mx-reviewer")
    page.goto("/cases")  # no other page until the password is changed
    expect(page).to_have_title("Sign in — Repatria")
    _sign_in_with(page, "mx-reviewer", one_time)
    _choose_password(page, one_time, "quiet-harbour-71")
    expect(page.get_by_role("status")).to_contain_text("sign in with the new one")
    _sign_in_with(page, "mx-reviewer", "quiet-harbour-71")
    expect(page).to_have_title("Dashboard — Repatria")


def test_a_deactivated_user_is_signed_out_and_cannot_sign_in(
    sign_in: SignIn, browser: Browser, live_server: str
) -> None:
    with _another_browser(browser, live_server) as officer:
        _sign_in_with(officer, "mx-case-officer", "repatria-demo")
        expect(officer).to_have_title("Dashboard — Repatria")

        page = sign_in("mx-admin")
        page.goto("/admin")
        page.get_by_role("link", name="mx-case-officer", exact=True).click()
        page.get_by_label("Reason, for the record").fill("left the service")
        page.get_by_role("button", name="Deactivate mx-case-officer").click()
        expect(page.locator("#user-status")).to_have_text("deactivated")

        officer.goto("/cases")
        expect(officer).to_have_title("Sign in — Repatria")
        _sign_in_with(officer, "mx-case-officer", "repatria-demo")
        expect(officer.get_by_role("alert")).to_contain_text("Wrong username or password")


def test_signing_out_everywhere_ends_an_api_token_too(sign_in: SignIn, live_server: str) -> None:
    page = sign_in("us-reviewer")
    page.get_by_role("link", name="Account", exact=True).click()
    page.get_by_label("Token name").fill("laptop")
    page.get_by_role("button", name="Create a token").click()
    token = page.locator("#new-token").inner_text().strip()
    me = f"{live_server}/api/v1/auth/me"
    bearer = {"Authorization": f"Bearer {token}"}
    assert httpx.get(me, headers=bearer).status_code == 200

    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page).to_have_title("Sign in — Repatria")
    expect(page.get_by_role("status")).to_contain_text("Every session and API token")
    assert httpx.get(me, headers=bearer).status_code == 401
    page.goto("/account")
    expect(page).to_have_title("Sign in — Repatria")
