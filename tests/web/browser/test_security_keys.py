"""In Chromium, with its virtual authenticator (CDP's WebAuthn domain: a CTAP2 key on USB with
user verification): registering a key on the account page, signing in with password and key,
no session before the key answers, a role that requires a key refused a session without one,
and a recovery code that signs in once and not twice.

The page is opened at http://localhost:PORT, not 127.0.0.1: an IP address is no WebAuthn
relying party id (Chromium answers "This is an invalid domain"), while localhost is one, and
a secure context over plain HTTP. Chromium resolves localhost to the loopback address itself,
where the test server listens (127.0.0.1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, ConsoleMessage, Page, expect

from repatria.bootstrap import Container
from repatria.domain.accounts import Role
from repatria.entrypoints.api.deps import SESSION_COOKIE
from tests.web.browser.conftest import screenshot

PASSWORD = "repatria-demo"
DECIDERS = frozenset({Role.REVIEWER, Role.VERIFIER, Role.ADMIN})
CODE = re.compile(r"^[a-z2-9]{4}(-[a-z2-9]{4}){3}$")


@dataclass
class KeyBrowser:
    """A browser at localhost with a virtual security key plugged in."""

    page: Page
    context: BrowserContext
    cdp: CDPSession
    authenticator: str

    def session_cookies(self) -> list[str]:
        return [c["value"] for c in self.context.cookies() if c["name"] == SESSION_COOKIE]

    def credentials(self) -> list[dict[str, object]]:
        found = self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.authenticator})
        return list(found["credentials"])


def _use(container: Container, origin: str, roles: frozenset[Role]) -> None:
    # The installation's settings for this test: keys bound to this origin; these roles need one.
    container.settings = container.settings.model_copy(
        update={"webauthn_origin": origin, "require_security_key_roles": roles}
    )


@pytest.fixture
def key_browser(browser: Browser, live_server: str, container: Container) -> Iterator[KeyBrowser]:
    origin = live_server.replace("127.0.0.1", "localhost")
    _use(container, origin, frozenset())
    context = browser.new_context(base_url=origin, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # A refusal (401, 403) is expected in some steps; nothing else may go wrong.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    page.on("console", on_console)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    yield KeyBrowser(page, context, cdp, added["authenticatorId"])
    context.close()
    assert errors == [], errors


def _password(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_title("Sign in — Repatria")


def _register_on_account_page(page: Page, name: str) -> list[str]:
    page.goto("/account")
    page.get_by_label("Key name").fill(name)
    page.get_by_role("button", name="Register a security key").click()
    expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    return _codes(page)


def _codes(page: Page) -> list[str]:
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(CODE.match(code) for code in codes), codes
    return codes


def test_a_key_registered_on_the_account_page_is_asked_for_after_the_password(
    key_browser: KeyBrowser,
) -> None:
    page = key_browser.page
    _password(page, "us-case-officer")
    expect(page).to_have_title("Dashboard — Repatria")  # no key yet, none required
    _register_on_account_page(page, "blue key")
    assert len(key_browser.credentials()) == 1
    expect(page.get_by_role("row", name=re.compile("blue key"))).to_contain_text("never")
    _sign_out(page)

    page.goto("/cases")  # signed out: to the login page, and back here once signed in
    expect(page).to_have_title("Sign in — Repatria")
    page.get_by_label("Username").fill("us-case-officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Security key — Repatria")
    screenshot(page, "security-key-present")
    assert key_browser.session_cookies() == []  # the password alone opened no session
    page.goto("/dashboard")
    expect(page).to_have_title("Sign in — Repatria")
    page.go_back()
    page.get_by_role("button", name="Use my security key").click()
    expect(page).to_have_url(re.compile(r"/cases$"))
    assert len(key_browser.session_cookies()) == 1
    page.goto("/account")
    expect(page.get_by_role("row", name=re.compile("blue key"))).not_to_contain_text("never")
    screenshot(page, "account-security-keys")


def test_a_role_that_requires_a_key_registers_one_before_anything_else(
    key_browser: KeyBrowser, live_server: str, container: Container
) -> None:
    _use(container, container.settings.webauthn_origin, DECIDERS)
    page = key_browser.page
    _password(page, "us-reviewer")
    expect(page.get_by_role("heading", name="Register a security key")).to_be_visible()
    assert key_browser.session_cookies() == []
    page.goto("/cases")  # nothing else may be done
    expect(page).to_have_title("Sign in — Repatria")
    page.goto("/login/security-key")
    page.get_by_label("Key name").fill("office key")
    page.get_by_role("button", name="Register the key").click()
    expect(page.get_by_role("heading", name="Your security key is registered")).to_be_visible()
    _codes(page)
    screenshot(page, "security-key-recovery-codes")
    assert key_browser.session_cookies() == []  # registered, not yet signed in
    page.get_by_role("link", name="Continue: sign in with your key").click()
    page.get_by_role("button", name="Use my security key").click()
    expect(page).to_have_title("Dashboard — Repatria")


def test_without_its_key_a_role_that_requires_one_gets_no_session(
    key_browser: KeyBrowser, container: Container
) -> None:
    page = key_browser.page
    _password(page, "us-reviewer")
    expect(page).to_have_title("Dashboard — Repatria")  # not required yet: registers one
    _register_on_account_page(page, "office key")
    _sign_out(page)
    _use(container, container.settings.webauthn_origin, DECIDERS)
    key_browser.cdp.send(
        "WebAuthn.removeVirtualAuthenticator", {"authenticatorId": key_browser.authenticator}
    )  # the key is not at hand

    _password(page, "us-reviewer")
    expect(page.get_by_role("heading", name="Present your security key")).to_be_visible()
    page.goto("/dashboard")
    expect(page).to_have_title("Sign in — Repatria")
    assert key_browser.session_cookies() == []
    answer = page.request.post(
        "/api/v1/auth/login", data={"username": "us-reviewer", "password": PASSWORD}
    )
    assert answer.status == 403 and "security key" in answer.json()["detail"]
    assert key_browser.session_cookies() == []


def test_a_recovery_code_signs_in_once_and_not_twice(key_browser: KeyBrowser) -> None:
    page = key_browser.page
    _password(page, "us-case-officer")
    codes = _register_on_account_page(page, "blue key")
    _sign_out(page)

    for attempt in ("first", "second"):
        _password(page, "us-case-officer")
        page.get_by_label("Recovery code").fill(codes[0].upper().replace("-", " - "))
        page.get_by_role("button", name="Sign in with a recovery code").click()
        if attempt == "first":
            expect(page).to_have_title("Dashboard — Repatria")
            page.goto("/account")
            expect(page.get_by_text("Recovery codes left: 9.")).to_be_visible()
            _sign_out(page)
    expect(page.get_by_role("alert")).to_contain_text("wrong or was already used")
    assert key_browser.session_cookies() == []
