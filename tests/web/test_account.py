"""The account pages: changing one's password (the form names the field at fault and keeps
the username, never a password), the forced change after a one-time password, signing out
everywhere."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.services import users
from tests.web.conftest import DEMO_PASSWORD, csrf_of

Browsers = Callable[[str | None], TestClient]


def _change(client: TestClient, username: str, current: str, new: str, again: str = "") -> str:
    form = client.get("/account/password").text
    data = {
        "username": username,
        "current_password": current,
        "new_password": new,
        "new_password_again": again or new,
        "csrf_token": csrf_of(form),
    }
    response = client.post("/account/password", data=data, follow_redirects=False)
    return f"{response.status_code} {response.headers.get('location', '')} {response.text}"


def _reset(container: Container, username: str) -> str:
    """A one-time password, as an administrator of the user's state issues it."""
    with container.uow() as uow:
        query = select(t.users.c.id).where(t.users.c.username == username)
        user_id = int(uow.session.execute(query).scalar_one())
        _, one_time = users.reset_password(uow, Principal.system("operator"), user_id)
        uow.commit()
    return one_time


def test_a_common_new_password_is_refused_on_the_form_naming_the_field(
    browser_for: Browsers,
) -> None:
    answer = _change(browser_for(None), "mx-reviewer", DEMO_PASSWORD, "password123")
    assert answer.startswith("422")
    assert 'id="new_password-error"' in answer and "New password: is too easy" in answer
    assert 'value="mx-reviewer"' in answer  # the username is kept
    assert DEMO_PASSWORD not in answer.split("Every demo user")[0]  # no password echoed


def test_a_new_password_typed_differently_twice_is_refused_before_any_check(
    browser_for: Browsers,
) -> None:
    answer = _change(browser_for(None), "mx-reviewer", "wrong", "quiet-harbour-71", "other-one-71")
    assert answer.startswith("422") and 'id="new_password_again-error"' in answer


def test_a_wrong_current_password_is_refused_and_the_old_one_still_works(
    browser_for: Browsers,
) -> None:
    client = browser_for(None)
    answer = _change(client, "mx-reviewer", "not-my-password", "quiet-harbour-71")
    assert answer.startswith("401") and 'id="current_password-error"' in answer
    browser_for("mx-reviewer")  # signs in with the demo password


def test_a_signed_in_user_changes_their_own_password_and_every_session_ends(
    browser_for: Browsers,
) -> None:
    officer = browser_for("us-case-officer")
    page = officer.get("/account/password").text
    assert 'value="us-case-officer" autocomplete="username" required maxlength="100" readonly' in (
        page
    )
    # The session's own username counts, whatever the form says.
    answer = _change(officer, "us-reviewer", DEMO_PASSWORD, "quiet-harbour-71")
    assert answer.startswith("303 /login?done=password")
    assert officer.get("/account", follow_redirects=False).status_code == 303
    assert "sign in with the new one" in officer.get("/login?done=password").text


def test_a_one_time_password_leads_to_the_form_and_opens_no_session(
    browser_for: Browsers, container: Container
) -> None:
    one_time = _reset(container, "mx-verifier")
    client = browser_for(None)
    data = {"username": "mx-verifier", "password": one_time}
    signed_in = client.post(
        "/login",
        data={**data, "csrf_token": csrf_of(client.get("/login").text)},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/account/password?username=mx-verifier&reset=true"
    assert "repatria_session" not in signed_in.headers.get("set-cookie", "")
    assert client.get("/dashboard", follow_redirects=False).headers["location"].startswith("/login")
    form = client.get(signed_in.headers["location"]).text
    assert "An administrator has reset your password" in form and 'value="mx-verifier"' in form


def test_signing_out_everywhere_needs_a_signed_in_user(browser_for: Browsers) -> None:
    client = browser_for(None)
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/account/sign-out-everywhere", data={"csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


def test_a_read_only_token_made_on_the_account_page_reads_and_changes_nothing(
    browser_for: Callable[[str | None], TestClient],
) -> None:
    officer = browser_for("us-case-officer")
    page = officer.get("/account")
    made = officer.post(
        "/account/tokens",
        data={
            "name": "dashboard feed",
            "days": "7",
            "read_only": "yes",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert made.status_code == 200 and "active, read only" in made.text
    token = made.text.split('<p class="hash" id="new-token">', 1)[1].split("<", 1)[0]
    api = browser_for(None)
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/cases", headers=headers).status_code == 200
    person = {"family_name": "Read", "given_names": "Only", "held_by_state": "US"}
    assert api.post("/api/v1/people", json=person, headers=headers).status_code == 403


def test_a_refused_token_comes_back_as_typed(browser_for: Callable[[str], TestClient]) -> None:
    officer = browser_for("us-case-officer")
    page = officer.get("/account").text
    data = {"name": "laptop", "days": "400", "read_only": "yes", "csrf_token": csrf_of(page)}
    refused = officer.post("/account/tokens", data=data)
    assert refused.status_code == 422
    kept = refused.text.split('id="token-form"', 1)[1].split("</form>", 1)[0]
    assert 'value="laptop"' in kept and 'value="400"' in kept and 'value="yes" checked' in kept
    reason = kept.split('id="e-token-days">', 1)[1].split("</span>", 1)[0]
    assert reason == "must be a whole number from 1 to 366"
    assert 'id="new-token"' not in refused.text
