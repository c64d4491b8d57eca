"""An administrator's user pages: only its own state's users, only administrators; each act
an event naming the user's state; another state's user is not found and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.conftest import csrf_of

Browsers = Callable[[str | None], TestClient]
ACTS = ("deactivate", "reactivate", "reset-password")


def _user_id(container: Container, username: str) -> int:
    with container.engine.connect() as connection:
        query = select(t.users.c.id).where(t.users.c.username == username)
        return int(connection.execute(query).scalar_one())


def _snapshot(container: Container) -> tuple[Any, ...]:
    with container.engine.connect() as connection:
        users = connection.execute(
            select(t.users.c.username, t.users.c.active, t.users.c.password_hash).order_by(
                t.users.c.id
            )
        ).all()
        open_tokens = connection.scalar(
            select(func.count()).where(t.credentials.c.revoked_at.is_(None))
        )
        events = connection.scalar(select(func.count()).select_from(t.events))
    return tuple(users), open_tokens, events


def _events(container: Container, command: str) -> list[Any]:
    with container.engine.connect() as connection:
        return list(connection.execute(select(t.events).where(t.events.c.command == command)))


def _api_token_of(client: TestClient, name: str) -> int:
    """Create an API token on the account page; its id."""
    page = client.get("/account").text
    client.post("/account/tokens", data={"name": name, "csrf_token": csrf_of(page)})
    with_tokens = client.get("/account").text
    found = with_tokens.split(f'aria-label="Revoke {name}"')[0].rsplit("/account/tokens/", 1)[1]
    return int(found.split("/", 1)[0])


def test_the_users_list_shows_only_the_administrators_state(browser_for: Browsers) -> None:
    page = browser_for("mx-admin").get("/admin").text
    assert ">mx-case-officer</a>" in page
    assert ">us-case-officer</a>" not in page


def test_another_states_user_is_not_found_and_nothing_changes(
    browser_for: Browsers, container: Container
) -> None:
    admin = browser_for("us-admin")
    officer = browser_for("mx-case-officer")
    token_id = _api_token_of(officer, "laptop")
    victim = _user_id(container, "mx-case-officer")
    before = _snapshot(container)
    token = csrf_of(admin.get("/admin").text)
    assert admin.get(f"/admin/users/{victim}").status_code == 404
    for act in ACTS:
        answer = admin.post(f"/admin/users/{victim}/{act}", data={"csrf_token": token})
        assert answer.status_code == 404, act
    revoke = f"/admin/users/{victim}/tokens/{token_id}/revoke"
    assert admin.post(revoke, data={"csrf_token": token}).status_code == 404
    assert _snapshot(container) == before
    assert officer.get("/account").status_code == 200  # still signed in


@pytest.mark.parametrize("username", ["us-case-officer", "us-auditor", "mx-reviewer"])
def test_the_user_pages_are_refused_to_every_role_but_administrator(
    browser_for: Browsers, container: Container, username: str
) -> None:
    other = browser_for(username)
    target = _user_id(container, "us-reviewer")
    before = _snapshot(container)
    token = csrf_of(other.get("/account").text)
    assert other.get(f"/admin/users/{target}").status_code == 403
    for act in ACTS:
        answer = other.post(f"/admin/users/{target}/{act}", data={"csrf_token": token})
        assert answer.status_code == 403, act
    assert _snapshot(container) == before


def test_a_form_without_its_csrf_token_changes_nothing(
    browser_for: Browsers, container: Container
) -> None:
    admin = browser_for("us-admin")
    target = _user_id(container, "us-reviewer")
    before = _snapshot(container)
    for act in ACTS:
        assert admin.post(f"/admin/users/{target}/{act}", data={}).status_code == 403
    assert _snapshot(container) == before


def test_an_administrator_or_auditor_of_the_state_is_the_operators_to_manage(
    browser_for: Browsers, container: Container
) -> None:
    admin = browser_for("us-admin")
    auditor = _user_id(container, "us-auditor")
    page = admin.get(f"/admin/users/{auditor}")
    assert page.status_code == 200 and "managed by the installation's operator" in page.text
    before = _snapshot(container)
    answer = admin.post(
        f"/admin/users/{auditor}/deactivate", data={"csrf_token": csrf_of(page.text)}
    )
    assert answer.status_code == 403
    assert _snapshot(container) == before


def test_each_act_is_an_event_naming_the_users_state(
    browser_for: Browsers, container: Container
) -> None:
    admin = browser_for("mx-admin")
    officer = browser_for("mx-case-officer")
    token_id = _api_token_of(officer, "laptop")
    target = _user_id(container, "mx-case-officer")
    page = admin.get(f"/admin/users/{target}").text
    assert 'aria-label="Revoke laptop"' in page
    token = csrf_of(page)
    revoke = admin.post(
        f"/admin/users/{target}/tokens/{token_id}/revoke", data={"csrf_token": token}
    )
    assert revoke.status_code == 200 and "revoked" in revoke.text
    reset = admin.post(f"/admin/users/{target}/reset-password", data={"csrf_token": token})
    assert reset.status_code == 200 and 'id="one-time-password"' in reset.text
    assert 'id="one-time-password"' not in admin.get(f"/admin/users/{target}").text  # once
    for act in ("deactivate", "reactivate"):
        done = admin.post(
            f"/admin/users/{target}/{act}", data={"csrf_token": token, "reason": "left"}
        )
        assert done.status_code == 200
    for command in ("RevokeToken", "ResetPassword", "DeactivateUser", "ReactivateUser"):
        assert [e.states for e in _events(container, command)] == [["MX"]], command
    assert _events(container, "DeactivateUser")[0].reason == "left"


def test_a_token_is_revoked_only_under_its_own_user(
    browser_for: Browsers, container: Container
) -> None:
    admin = browser_for("us-admin")
    token_id = _api_token_of(browser_for("us-case-officer"), "laptop")
    other_user = _user_id(container, "us-reviewer")
    before = _snapshot(container)
    token = csrf_of(admin.get("/admin").text)
    revoke = f"/admin/users/{other_user}/tokens/{token_id}/revoke"
    assert admin.post(revoke, data={"csrf_token": token}).status_code == 404
    assert _snapshot(container) == before
