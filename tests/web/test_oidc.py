"""Signing in through an organisation's provider at the HTTP level (no browser): what the
request to the provider carries, where the sign-in's state is kept, and the refusals that come
before the provider is asked. The whole flow in Chromium: tests/web/browser/test_oidc.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from repatria.settings import Settings
from tests.web.conftest import BASE_URL
from tests.web.oidc_providers import (
    DISCOVERY_PATH,
    provider,
    providers_file,
    serve,
)


@pytest.fixture(scope="module")
def misdescribed_provider() -> Iterator[str]:
    """A provider whose discovery document names another issuer than the one configured."""
    yield from serve(provider([], another_issuer_at=DISCOVERY_PATH))


@pytest.fixture
def settings(
    settings: Settings,
    tmp_path: Path,
    us_provider: str,
    mx_provider: str,
    misdescribed_provider: str,
) -> Settings:
    path = providers_file(tmp_path, us_provider, mx_provider, misdescribed_provider)
    return settings.model_copy(update={"oidc_file": path})


@pytest.fixture
def client(app: object) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE_URL, follow_redirects=False) as made:  # type: ignore[arg-type]
        yield made


def test_the_login_page_offers_each_organisations_provider(client: TestClient) -> None:
    page = client.get("/login").text
    for code, label in (("us-iptu", "US Justice Login"), ("mx-transfer", "Llave SSPC")):
        assert f'href="/login/oidc/{code}">Sign in with {label}</a>' in page


def test_a_sign_in_asks_for_a_code_with_pkce_state_and_nonce_kept_for_the_sign_in_alone(
    client: TestClient, us_provider: str
) -> None:
    response = client.get("/login/oidc/us-iptu")
    assert response.status_code == 302
    target = urlsplit(response.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{us_provider}/oauth2/authorize"
    query = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "repatria-us"
    assert query["redirect_uri"] == f"{BASE_URL}/login/oidc/us-iptu/callback"
    assert query["scope"] == "openid profile email"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    (cookie,) = (
        header.lower()
        for header in response.headers.get_list("set-cookie")
        if header.startswith("repatria_oidc=")
    )
    for flag in ("path=/login/oidc", "httponly", "secure", "samesite=lax", "max-age=600"):
        assert flag in cookie
    assert "repatria_oidc" not in client.get("/login").headers.get("set-cookie", "")


def test_the_code_the_provider_sends_back_opens_a_session_as_the_mapped_role(
    client: TestClient,
) -> None:
    to_provider = client.get("/login/oidc/mx-transfer").headers["location"]
    back = httpx.post(to_provider, data={"sub": "mx-77"}, follow_redirects=False)
    assert back.status_code == 302
    response = client.get(back.headers["location"])
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert "dora.v · consent verifier · MX" in client.get("/dashboard").text
    again = client.get(back.headers["location"])  # the same answer a second time
    assert again.status_code == 401
    assert "unknown or replayed state" in again.text


def test_a_provider_whose_discovery_names_another_issuer_is_refused(
    client: TestClient, misdescribed_provider: str
) -> None:
    response = client.get("/login/oidc/sv-dgcp")
    assert response.status_code == 502
    assert f"the provider at {misdescribed_provider} calls itself http://localhost:" in (
        response.text
    )


def test_an_organisation_without_a_provider_is_not_found(client: TestClient) -> None:
    response = client.get("/login/oidc/no-such-ministry")
    assert response.status_code == 404
    assert "has no identity provider" in response.text
