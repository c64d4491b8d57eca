"""Signing in and out of the web interface; the login page lists the demo users."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of

Browsers = Callable[[str | None], TestClient]


def test_the_login_page_lists_the_demo_users_when_the_demo_data_is_loaded(
    browser_for: Browsers,
) -> None:
    page = browser_for(None).get("/login")
    assert page.status_code == 200
    assert "<title>Sign in — Repatria</title>" in page.text
    for username in ("us-case-officer", "mx-reviewer", "sv-auditor"):
        assert f"<code>{username}</code>" in page.text
    assert "repatria-demo" in page.text


def test_the_home_page_sends_a_visitor_to_the_login_page(browser_for: Browsers) -> None:
    response = browser_for(None).get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_a_page_needing_login_redirects_to_the_login_page_and_back(
    browser_for: Browsers,
) -> None:
    anonymous = browser_for(None)
    response = anonymous.get("/cases", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/cases"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    browser_for: Browsers,
) -> None:
    client = browser_for(None)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "us-case-officer", "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert "repatria_session" not in response.cookies


def test_the_session_cookie_is_secure_http_only_same_site_and_expires(
    browser_for: Browsers,
) -> None:
    client = browser_for(None)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "us-case-officer", "password": "repatria-demo", "csrf_token": token},
        follow_redirects=False,
    )
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith("repatria_session=")
    )
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite", "max-age"} <= flags
    assert "samesite=lax" in cookie.lower()


def test_signing_out_ends_the_session_on_the_server(browser_for: Browsers) -> None:
    client = browser_for("us-case-officer")
    raw = client.cookies.get("repatria_session")
    token = csrf_of(client.get("/dashboard").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    client.cookies.set("repatria_session", raw or "")
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_a_login_never_redirects_to_another_site(browser_for: Browsers) -> None:
    client = browser_for(None)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": "us-case-officer",
            "password": "repatria-demo",
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/dashboard"
