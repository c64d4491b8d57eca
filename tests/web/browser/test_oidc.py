"""In Chromium: signing in through each organisation's OpenID Connect provider, real ones
(oidc-provider-mock, a provider made for testing) running on 127.0.0.1, and the refusals."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import werkzeug.serving
from playwright.sync_api import Page, Request, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.services.demo import DEMO_PASSWORD
from repatria.settings import Settings
from tests.web.browser.conftest import screenshot

with warnings.catch_warnings():
    # The test provider uses Authlib's older modules, which warn as they are imported (Authlib
    # asks for its warnings "always" as it is imported: the filter must come after that).
    import authlib.deprecate  # noqa: F401

    warnings.simplefilter("ignore", DeprecationWarning)
    from oidc_provider_mock import User as ProviderUser
    from oidc_provider_mock import app as provider_app

WsgiApp = Callable[..., Any]
US_USERS = [
    ProviderUser(
        sub="us-1001",
        claims={"preferred_username": "ana.officer", "name": "Ana Officer", "groups": ["officers"]},
    ),
    ProviderUser(sub="us-1002", claims={"preferred_username": "ben", "groups": ["reviewers"]}),
    ProviderUser(sub="us-1003", claims={"preferred_username": "carl", "groups": ["staff"]}),
]
MX_USERS = [ProviderUser(sub="mx-77", claims={"usuario": "dora.v", "puesto": "verificador"})]
SV_USERS = [ProviderUser(sub="sv-5", claims={"preferred_username": "eva", "groups": ["officers"]})]


def _serve(app: WsgiApp) -> Iterator[str]:
    """Serve a WSGI application on a free port of 127.0.0.1 in a thread; its base URL."""
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def _naming_another_issuer(app: WsgiApp) -> WsgiApp:
    """The provider, but its tokens name another issuer (localhost, not 127.0.0.1): the mock
    names the host it is asked by, so the token endpoint is asked as another host."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/oauth2/token":
            environ["HTTP_HOST"] = environ["HTTP_HOST"].replace("127.0.0.1", "localhost")
        return app(environ, start_response)

    return wrapped


@pytest.fixture(scope="module")
def us_provider() -> Iterator[str]:
    yield from _serve(provider_app(require_nonce=True, user_claims=US_USERS))


@pytest.fixture(scope="module")
def mx_provider() -> Iterator[str]:
    yield from _serve(provider_app(require_nonce=True, user_claims=MX_USERS))


@pytest.fixture(scope="module")
def sv_provider() -> Iterator[str]:
    yield from _serve(_naming_another_issuer(provider_app(user_claims=SV_USERS)))


@pytest.fixture
def settings(
    settings: Settings, tmp_path: Path, us_provider: str, mx_provider: str, sv_provider: str
) -> Settings:
    """The test's settings, with a providers file naming the three providers."""
    secret = tmp_path / "mx-client-secret"
    secret.write_text("mx-secret\n")
    path = tmp_path / "oidc.yaml"
    path.write_text(
        f"""
organisations:
  us-iptu:
    label: US Justice Login
    issuer: {us_provider}
    client_id: repatria-us
    client_secret: us-secret
    role_claim: groups
    roles:
      officers: case_officer
      reviewers: reviewer
    passwords: false
  mx-transfer:
    label: Llave SSPC
    issuer: {mx_provider}
    client_id: repatria-mx
    client_secret_file: {secret}
    username_claim: usuario
    role_claim: puesto
    roles:
      verificador: verifier
  sv-dgcp:
    label: DGCP Acceso
    issuer: {sv_provider}
    client_id: repatria-sv
    client_secret: sv-secret
    roles:
      officers: case_officer
"""
    )
    return settings.model_copy(update={"oidc_file": path})


@pytest.fixture
def database_content() -> str:
    return "demo"


def _sign_in_with(page: Page, label: str, subject: str) -> None:
    page.goto("/login")
    page.get_by_role("link", name=f"Sign in with {label}").click()
    page.get_by_role("button", name=subject, exact=True).click()


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
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_title("Sign in — Repatria")

    _sign_in_with(page, "Llave SSPC", "mx-77")
    expect(page).to_have_title("Dashboard — Repatria")
    expect(page.get_by_text("dora.v · consent verifier · MX")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()

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
