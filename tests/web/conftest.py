"""Web fixtures: the application on a fresh demo database, and browsers signed in through
the login form (session cookie and CSRF token, as a person would)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from fastapi.testclient import TestClient
from httpx import Response

BASE_URL = "https://testserver"  # the session cookie is Secure
DEMO_PASSWORD = "repatria-demo"
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


@pytest.fixture
def database_content() -> str:
    return "demo"


@pytest.fixture(autouse=True)
def _audit_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A checkpoint signing key of the test's own, named in the settings."""
    path = tmp_path / "audit-key.pem"
    pem = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    path.write_bytes(pem)
    monkeypatch.setenv("REPATRIA_AUDIT_KEY_FILE", str(path))
    return path


def csrf_of(html: str) -> str:
    """The CSRF token in a page's first form."""
    found = TOKEN.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client: TestClient, username: str) -> TestClient:
    """Sign a client in through the login form."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def browser_for(app: object) -> Iterator[Callable[[str | None], TestClient]]:
    """Make a client signed in as the named demo user (None: anonymous)."""
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, base_url=BASE_URL)  # type: ignore[arg-type]
        clients.append(client)
        return sign_in(client, username) if username else client

    yield make
    for client in clients:
        client.close()


VERSION = re.compile(r'name="version" value="(\d+)"')


def post_step(client: TestClient, case_id: int, command: str, reason: str = "") -> Response:
    """Take a step through the case page's form, as a person would (token and version from
    the page just read)."""
    page = client.get(f"/cases/{case_id}").text
    version = VERSION.search(page)
    data = {
        "command": command,
        "version": version.group(1) if version else "1",
        "reason": reason,
        "csrf_token": csrf_of(page),
    }
    return client.post(f"/cases/{case_id}/steps", data=data)


@pytest.fixture(scope="module")
def us_provider() -> Iterator[str]:
    """The US ministry's OpenID provider on 127.0.0.1 (oidc-provider-mock), for a module."""
    from tests.web.oidc_providers import US_USERS, provider, serve

    yield from serve(provider(US_USERS))


@pytest.fixture(scope="module")
def mx_provider() -> Iterator[str]:
    """Mexico's OpenID provider on 127.0.0.1, with its own claim mapping, for a module."""
    from tests.web.oidc_providers import MX_USERS, provider, serve

    yield from serve(provider(MX_USERS))
