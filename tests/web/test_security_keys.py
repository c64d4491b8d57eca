"""Security keys through the pages, at the HTTP level with a software key (real WebAuthn data;
Chromium's own is tests/web/browser/test_security_keys.py's): what the pending sign-in's
cookie allows and what it does not, the account page's keys and recovery codes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from repatria.bootstrap import Container
from repatria.domain.accounts import Role
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web.second_factor import PENDING_COOKIE
from repatria.services import users
from tests.services.soft_authenticator import SoftAuthenticator
from tests.web.conftest import BASE_URL, DEMO_PASSWORD, csrf_of

Browsers = Callable[[str | None], TestClient]
CODE = re.compile(r"<code>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</code>")


@pytest.fixture(autouse=True)
def _keys_here(container: Container) -> Iterator[None]:
    # Keys bound to the test client's origin; reviewers must have one.
    container.settings = container.settings.model_copy(
        update={
            "webauthn_origin": BASE_URL,
            "require_security_key_roles": frozenset({Role.REVIEWER}),
        }
    )
    yield


def _key() -> SoftAuthenticator:
    return SoftAuthenticator(origin=BASE_URL, rp_id="testserver")


def _password(client: TestClient, username: str) -> Response:
    token = csrf_of(client.get("/login").text)
    data = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    return client.post("/login", data=data, follow_redirects=False)


def _answer(
    client: TestClient, page: str, options: str, action: str, key: SoftAuthenticator, **extra: str
) -> Response:
    # What static/webauthn.js does: the options (a POST of the form), the key, the form.
    token = csrf_of(client.get(page).text)
    made = client.post(options, data={"csrf_token": token, **extra})
    assert made.status_code == 200, made.text
    challenge = made.json()["publicKey"]["challenge"]
    credential = key.create(challenge) if "user" in made.json()["publicKey"] else key.get(challenge)
    data = {
        "csrf_token": token,
        "challenge_id": made.json()["challenge_id"],
        "credential": credential,
    }
    return client.post(action, data={**data, **extra}, follow_redirects=False)


def _enrol(client: TestClient, key: SoftAuthenticator) -> list[str]:
    # A reviewer's first sign-in: the password, then the first key, whose codes are shown.
    assert _password(client, "us-reviewer").headers["location"] == "/login/security-key"
    page = "/login/security-key"
    shown = _answer(client, page, f"{page}/options", f"{page}/register", key, name="desk key")
    assert shown.status_code == 200, shown.text
    return CODE.findall(shown.text)


def test_the_password_gives_only_a_pending_cookie_for_the_key_page(
    browser_for: Browsers,
) -> None:
    client = browser_for(None)
    answer = _password(client, "us-reviewer")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{PENDING_COOKIE}=")
    assert "HttpOnly" in cookie and "Secure" in cookie and "Path=/login/security-key" in cookie
    assert SESSION_COOKIE not in client.cookies
    assert client.get("/cases", follow_redirects=False).headers["location"].startswith("/login")


def test_a_first_key_brings_ten_recovery_codes_and_then_signs_in(browser_for: Browsers) -> None:
    client, key = browser_for(None), _key()
    codes = _enrol(client, key)
    assert len(set(codes)) == 10
    assert SESSION_COOKIE not in client.cookies  # registered, not yet signed in
    page = "/login/security-key"
    signed_in = _answer(client, page, f"{page}/options", page, key)
    assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/dashboard")
    assert client.get("/account").status_code == 200


def test_a_password_alone_adds_no_key_to_an_account_that_has_one(browser_for: Browsers) -> None:
    _enrol(browser_for(None), _key())
    intruder = browser_for(None)  # knows the password, not the key
    _password(intruder, "us-reviewer")
    page = "/login/security-key"
    token = csrf_of(intruder.get(page).text)
    options = intruder.post(f"{page}/options", data={"csrf_token": token}).json()["publicKey"]
    assert "user" not in options  # a sign-in challenge, not a registration's
    refused = intruder.post(
        f"{page}/register",
        data={"csrf_token": token, "challenge_id": "1", "credential": "{}", "name": "mine"},
    )
    assert refused.status_code == 409
    assert SESSION_COOKIE not in intruder.cookies


def test_five_wrong_recovery_codes_end_the_pending_sign_in(browser_for: Browsers) -> None:
    _enrol(browser_for(None), _key())
    client = browser_for(None)
    _password(client, "us-reviewer")
    page = "/login/security-key"
    for left in (4, 3, 2, 1, 0):
        token = csrf_of(client.get(page).text)
        wrong = client.post(f"{page}/recovery", data={"csrf_token": token, "code": "aaaa-bbbb"})
        assert wrong.status_code == 401 and (f"Attempts left: {left}" in wrong.text or left == 0)
    assert client.get(page, follow_redirects=False).headers["location"] == "/login?done=expired"


def test_the_account_page_registers_removes_keys_and_makes_new_codes(
    browser_for: Browsers,
) -> None:
    client = browser_for("us-case-officer")
    token = csrf_of(client.get("/account").text)
    refused = client.post("/account/recovery-codes", data={"csrf_token": token})
    assert refused.status_code == 409 and "register a key first" in refused.text
    shown = _answer(
        client,
        "/account",
        "/account/security-keys/options",
        "/account/security-keys",
        _key(),
        name="blue key",
    )
    first_codes = CODE.findall(shown.text)
    assert shown.status_code == 200 and "blue key" in shown.text and len(first_codes) == 10
    second = _answer(
        client,
        "/account",
        "/account/security-keys/options",
        "/account/security-keys",
        _key(),
        name="spare key",
    )
    assert CODE.findall(second.text) == []  # codes come with the first key only
    token = csrf_of(client.get("/account").text)
    renewed = CODE.findall(client.post("/account/recovery-codes", data={"csrf_token": token}).text)
    assert len(renewed) == 10 and not set(renewed) & set(first_codes)
    key_id = re.search(
        r"/account/security-keys/(\d+)/remove", renewed_page := client.get("/account").text
    )
    assert key_id is not None and "spare key" in renewed_page
    token = csrf_of(renewed_page)
    client.post(f"/account/security-keys/{key_id.group(1)}/remove", data={"csrf_token": token})
    assert "<td>blue key</td>" not in client.get("/account").text


def test_a_page_opened_at_another_address_says_where_keys_work(
    browser_for: Browsers, container: Container
) -> None:
    client = browser_for("us-case-officer")
    assert "Security keys work only at" not in client.get("/account").text
    container.settings = container.settings.model_copy(
        update={"webauthn_origin": "https://repatria.justice.example"}
    )
    page = client.get("/account").text
    assert "Security keys work only at https://repatria.justice.example" in page


def test_a_spanish_reader_is_told_in_spanish_why_a_recovery_code_was_refused(
    browser_for: Browsers,
) -> None:
    _enrol(browser_for(None), _key())
    client = browser_for(None)
    client.headers["Accept-Language"] = "es-MX"
    _password(client, "us-reviewer")
    token = csrf_of(client.get("/login/security-key").text)
    wrong = client.post(
        "/login/security-key/recovery", data={"csrf_token": token, "code": "aaaa-bbbb"}
    )
    assert "Ese código de recuperación es incorrecto o ya se usó." in wrong.text
    assert "Intentos restantes: 4." in wrong.text


def test_an_administrator_sees_whether_a_user_has_registered_a_key(
    browser_for: Browsers, container: Container
) -> None:
    with container.uow(read_only=True) as uow:
        reviewer = users.id_of(uow, "us-reviewer")
    admin = browser_for("us-admin")
    assert re.search(r'id="user-keys">none<', admin.get(f"/admin/users/{reviewer}").text)
    _enrol(browser_for(None), _key())
    keys = re.search(r'id="user-keys">([^<]*)<', admin.get(f"/admin/users/{reviewer}").text)
    assert keys is not None and keys.group(1) == "desk key (never used)"
