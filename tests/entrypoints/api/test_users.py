"""Each state governs only itself: the attacks found against the demo, refused and changing
nothing; sign-in throttling; the account lifecycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.services.demo import DEMO_PASSWORD

LOGIN = "/api/v1/auth/login"


def _snapshot(container: Container) -> dict[str, int]:
    with container.engine.connect() as connection:
        return {
            table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in (t.organisations, t.users, t.credentials, t.events)
        }


def _events(container: Container, command: str) -> list[Any]:
    with container.engine.connect() as connection:
        return list(connection.execute(select(t.events).where(t.events.c.command == command)))


def _user_id(client: TestClient, username: str) -> int:
    return next(u["id"] for u in client.get("/api/v1/users").json() if u["username"] == username)


def test_an_administrator_cannot_mint_a_token_for_another_states_officer(
    client_for: Callable[[str], TestClient], container: Container
) -> None:
    admin = client_for("us-admin")
    before = _snapshot(container)
    response = admin.post("/api/v1/tokens", json={"username": "mx-case-officer"})
    assert response.status_code == 403
    assert _snapshot(container) == before


def test_an_administrator_cannot_create_an_auditor_in_another_states_organisation(
    client_for: Callable[[str], TestClient], container: Container
) -> None:
    admin = client_for("us-admin")
    before = _snapshot(container)
    for role, organisation in (("auditor", "mx-transfer"), ("auditor", "us-iptu")):
        body = {
            "username": "spy",
            "display_name": "Spy",
            "password": "a-long-spy-password",
            "role": role,
            "organisation_code": organisation,
        }
        assert admin.post("/api/v1/users", json=body).status_code == 403
    assert _snapshot(container) == before


def test_an_administrator_cannot_create_an_organisation(
    client_for: Callable[[str], TestClient], container: Container
) -> None:
    admin = client_for("us-admin")
    before = _snapshot(container)
    body = {"code": "sv-new", "name": "El Salvador, new", "state": "SV"}
    assert admin.post("/api/v1/organisations", json=body).status_code == 403
    assert _snapshot(container) == before


def test_another_states_user_and_token_are_not_found_by_an_administrator(
    client_for: Callable[[str], TestClient], container: Container
) -> None:
    mx_admin = client_for("mx-admin")
    officer_id = _user_id(mx_admin, "mx-case-officer")
    token = client_for("mx-case-officer").post("/api/v1/tokens", json={}).json()
    us_admin = client_for("us-admin")
    before = _snapshot(container)
    assert us_admin.post(f"/api/v1/users/{officer_id}/deactivate", json={}).status_code == 404
    assert us_admin.post(f"/api/v1/users/{officer_id}/reset-password").status_code == 404
    assert us_admin.delete(f"/api/v1/tokens/{token['id']}").status_code == 404
    assert _snapshot(container) == before


def test_an_administrator_revokes_a_token_of_its_own_state_and_it_is_recorded(
    client_for: Callable[[str], TestClient], container: Container
) -> None:
    token = client_for("mx-case-officer").post("/api/v1/tokens", json={}).json()
    assert client_for("mx-admin").delete(f"/api/v1/tokens/{token['id']}").status_code == 200
    [event] = _events(container, "RevokeToken")
    assert event.states == ["MX"]


def test_an_administrator_cannot_reset_an_auditor_of_its_state(
    client_for: Callable[[str], TestClient],
) -> None:
    admin = client_for("mx-admin")
    auditor = _user_id(admin, "mx-auditor")
    assert admin.post(f"/api/v1/users/{auditor}/reset-password").status_code == 403


def test_wrong_passwords_are_throttled_with_retry_after_and_recorded(
    anonymous: TestClient, container: Container
) -> None:
    answers = [
        anonymous.post(LOGIN, json={"username": "mx-reviewer", "password": "wrong-guess"})
        for _ in range(7)
    ]
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 2
    assert int(answers[-1].headers["retry-after"]) > 0
    right = anonymous.post(LOGIN, json={"username": "mx-reviewer", "password": DEMO_PASSWORD})
    assert right.status_code == 429  # even the right password waits
    failures = _events(container, "FailSignIn")
    assert len(failures) == 5 and all(e.states == ["MX"] for e in failures)
    [lockout] = _events(container, "LockOutSignIn")
    assert lockout.after["failures"] == 5 and lockout.after["by"] == "account"


def test_an_unknown_username_is_throttled_like_a_known_one(anonymous: TestClient) -> None:
    statuses = [
        anonymous.post(LOGIN, json={"username": "nobody", "password": "wrong-guess"}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_one_address_guessing_many_accounts_is_throttled(anonymous: TestClient) -> None:
    statuses = [
        anonymous.post(LOGIN, json={"username": f"user{n}", "password": "x"}).status_code
        for n in range(21)
    ]
    assert statuses == [401] * 20 + [429]


def test_a_success_clears_the_accounts_count(anonymous: TestClient) -> None:
    for _ in range(4):
        anonymous.post(LOGIN, json={"username": "mx-reviewer", "password": "wrong-guess"})
    assert (
        anonymous.post(LOGIN, json={"username": "mx-reviewer", "password": DEMO_PASSWORD})
    ).status_code == 200
    for _ in range(4):
        wrong = anonymous.post(LOGIN, json={"username": "mx-reviewer", "password": "wrong"})
        assert wrong.status_code == 401


def test_deactivating_a_user_ends_every_session_and_token_at_once(
    client_for: Callable[[str], TestClient], container: Container, anonymous: TestClient
) -> None:
    officer = client_for("mx-case-officer")
    admin = client_for("mx-admin")
    officer_id = _user_id(admin, "mx-case-officer")
    assert admin.post(f"/api/v1/users/{officer_id}/deactivate", json={}).status_code == 200
    assert officer.get("/api/v1/auth/me").status_code == 401
    assert admin.post(f"/api/v1/users/{officer_id}/reactivate", json={}).status_code == 200
    assert officer.get("/api/v1/auth/me").status_code == 401  # its tokens stay ended
    signed_in = anonymous.post(
        LOGIN, json={"username": "mx-case-officer", "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 200
    assert [e.states for e in _events(container, "DeactivateUser")] == [["MX"]]


def test_a_one_time_password_only_lets_the_user_set_a_new_one(
    client_for: Callable[[str], TestClient], anonymous: TestClient
) -> None:
    admin = client_for("mx-admin")
    reviewer = client_for("mx-reviewer")
    reset = admin.post(f"/api/v1/users/{_user_id(admin, 'mx-reviewer')}/reset-password")
    one_time = reset.json()["one_time_password"]
    assert reviewer.get("/api/v1/auth/me").status_code == 401
    assert (
        anonymous.post(LOGIN, json={"username": "mx-reviewer", "password": one_time})
    ).status_code == 403
    change = {"username": "mx-reviewer", "current_password": one_time}
    weak = anonymous.post("/api/v1/auth/password", json={**change, "new_password": "password123"})
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    good = anonymous.post("/api/v1/auth/password", json={**change, "new_password": "a-fresh-pass"})
    assert good.status_code == 204
    assert (
        anonymous.post(LOGIN, json={"username": "mx-reviewer", "password": one_time})
    ).status_code == 401
    assert (
        anonymous.post(LOGIN, json={"username": "mx-reviewer", "password": "a-fresh-pass"})
    ).status_code == 200


def test_signing_out_everywhere_ends_every_token(
    client_for: Callable[[str], TestClient],
) -> None:
    officer = client_for("us-case-officer")
    token = officer.post("/api/v1/tokens", json={}).json()["token"]
    assert officer.post("/api/v1/auth/logout-everywhere").status_code == 204
    assert officer.get("/api/v1/auth/me").status_code == 401
    other = TestClient(officer.app, base_url="https://testserver")
    assert (
        other.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
