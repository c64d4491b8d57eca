"""In Chromium: signing in through each organisation's OpenID Connect provider, real ones
(oidc-provider-mock, a provider made for testing) running on 127.0.0.1, and the refusals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Role
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.services.demo import DEMO_PASSWORD
from repatria.settings import Settings
from tests.web.browser.conftest import screenshot
from tests.web.oidc_providers import (
    SV_USERS,
    TOKEN_PATH,
    provider,
    providers_file,
    serve,
)


@pytest.fixture(scope="module")
def sv_provider() -> Iterator[str]:
    """El Salvador's provider, whose tokens name another issuer than its own."""
    yield from serve(provider(SV_USERS, another_issuer_at=TOKEN_PATH))


@pytest.fixture
def settings(
    settings: Settings, tmp_path: Path, us_provider: str, mx_provider: str, sv_provider: str
) -> Settings:
    """The test's settings, with a providers file naming the three providers."""
    path = providers_file(tmp_path, us_provider, mx_provider, sv_provider)
    return settings.model_copy(update={"oidc_file": path})


@pytest.fixture
def database_content() -> str:
    return "demo"


def _sign_in_with(page: Page, label: str, subject: str) -> None:
    page.goto("/login")
    page.get_by_role("link", name=f"Sign in with {label}").click()
    page.get_by_role("button", name=subject, exact=True).click()


def _sign_out_at_the_provider(page: Page) -> None:
    # Signing out ends the provider's session too: its page asks, then sends the browser back.
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("button", name="End session").click()


def _commands(container: Container) -> list[str]:
    with container.engine.connect() as connection:
        return list(connection.scalars(select(t.events.c.command).order_by(t.events.c.seq)))


def test_us_and_mexican_officials_sign_in_through_their_ministrys_provider_as_the_mapped_role(
    page: Page, container: Container
) -> None:
    _sign_in_with(page, "US Justice Login", "us-1001")
    expect(page).to_have_title("Dashboard — Repatria")
    expect(page.get_by_text("ana.officer · case officer · US")).to_be_visible()
    screenshot(page, "oidc-signed-in")
    _sign_out_at_the_provider(page)
    expect(page).to_have_title("Sign in — Repatria")

    _sign_in_with(page, "Llave SSPC", "mx-77")
    expect(page).to_have_title("Dashboard — Repatria")
    expect(page.get_by_text("dora.v · consent verifier · MX")).to_be_visible()
    _sign_out_at_the_provider(page)

    _sign_in_with(page, "US Justice Login", "us-1002")
    expect(page.get_by_text("ben · reviewing official · US")).to_be_visible()
    commands = _commands(container)
    assert commands.count("ProvisionUser") == 3
    assert commands.count("SignInWithProvider") == 3


def test_a_user_whose_claims_map_to_no_role_is_refused_with_the_reason(
    page: Page, container: Container
) -> None:
    _sign_in_with(page, "US Justice Login", "us-1003")
    expect(page).to_have_title("Sign in — Repatria")
    expect(page.get_by_role("alert")).to_contain_text("no groups value that maps to a role")
    screenshot(page, "oidc-no-role")
    assert "ProvisionUser" not in _commands(container)
    assert "RefuseSignInWithProvider" in _commands(container)


def test_a_token_from_another_issuer_is_refused(page: Page, container: Container) -> None:
    _sign_in_with(page, "DGCP Acceso", "sv-5")
    expect(page).to_have_title("Sign in — Repatria")
    expect(page.get_by_role("alert")).to_contain_text("issued by another issuer")
    assert "SignInWithProvider" not in _commands(container)


def test_a_replayed_state_is_refused(page: Page, container: Container) -> None:
    callbacks: list[str] = []

    def note(request: Request) -> None:
        if "/callback?" in request.url:
            callbacks.append(request.url)

    page.on("request", note)
    _sign_in_with(page, "Llave SSPC", "mx-77")
    expect(page).to_have_title("Dashboard — Repatria")
    (callback,) = callbacks
    page.goto(callback)  # the provider's answer again, as an eavesdropper would send it
    expect(page.get_by_role("alert")).to_contain_text("unknown or replayed state")
    page.goto("/login/oidc/mx-transfer/callback?code=forged&state=forged")
    expect(page.get_by_role("alert")).to_contain_text("unknown or replayed state")
    assert _commands(container).count("RefuseSignInWithProvider") == 2


def test_a_password_is_refused_where_the_organisation_switched_passwords_off(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("us-case-officer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("signs in through its identity provider")
    page.get_by_label("Username").fill("mx-case-officer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_title("Dashboard — Repatria")


def test_signing_out_ends_the_providers_session_too_and_comes_back(
    page: Page, us_provider: str
) -> None:
    _sign_in_with(page, "US Justice Login", "us-1001")
    expect(page).to_have_title("Dashboard — Repatria")
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(f"{us_provider}/oauth2/end_session?")))
    assert "client_id=repatria-us" in page.url and "post_logout_redirect_uri=" in page.url
    page.get_by_role("button", name="End session").click()
    expect(page).to_have_title("Sign in — Repatria")
    page.goto("/dashboard")  # the local session ended as well
    expect(page).to_have_title("Sign in — Repatria")


def test_a_password_session_signs_out_here_only(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("mx-case-officer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_title("Dashboard — Repatria")
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/login$"))  # not the provider


def test_where_a_key_is_required_the_provider_alone_opens_no_session(
    page: Page, container: Container
) -> None:
    container.settings = container.settings.model_copy(
        update={"require_security_key_roles": frozenset({Role.REVIEWER})}
    )
    _sign_in_with(page, "US Justice Login", "us-1002")  # ben, a reviewer
    expect(page.get_by_role("heading", name="Register a security key")).to_be_visible()
    assert [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE] == []
    page.goto("/dashboard")
    expect(page).to_have_title("Sign in — Repatria")
    assert _commands(container)[-1] == "SignInWithProvider"
