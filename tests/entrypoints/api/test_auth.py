"""Signing in, sessions, API tokens: expiry, revocation, and what no credentials get."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from repatria.bootstrap import Container
from repatria.services.demo import DEMO_PASSWORD
from tests.entrypoints.api.conftest import issue_token

DAY = timedelta(days=1)


def test_login_sets_a_secure_http_only_session_cookie_that_authenticates(
    anonymous: TestClient,
) -> None:
    response = anonymous.post(
        "/api/v1/auth/login", json={"username": "mx-reviewer", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["organisation"]["state"] == "MX"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    assert anonymous.get("/api/v1/auth/me").json()["username"] == "mx-reviewer"


def test_wrong_password_and_unknown_user_get_the_same_401(anonymous: TestClient) -> None:
    wrong = anonymous.post(
        "/api/v1/auth/login", json={"username": "mx-reviewer", "password": "nope-nope-nope"}
    )
    unknown = anonymous.post(
        "/api/v1/auth/login", json={"username": "nobody", "password": DEMO_PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_logout_ends_the_session(anonymous: TestClient) -> None:
    anonymous.post("/api/v1/auth/login", json={"username": "us-auditor", "password": DEMO_PASSWORD})
    cookie = anonymous.cookies.get("repatria_session")
    assert anonymous.post("/api/v1/auth/logout").status_code == 204
    anonymous.cookies.set("repatria_session", cookie)  # a stolen copy of the cookie
    assert anonymous.get("/api/v1/auth/me").status_code == 401


def test_no_credentials_get_401_with_a_bearer_challenge(anonymous: TestClient) -> None:
    response = anonymous.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_expired_token_is_refused(anonymous: TestClient, container: Container) -> None:
    raw = issue_token(container, "us-case-officer", timedelta(seconds=-1))
    response = anonymous.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_a_revoked_token_is_refused_and_the_secret_is_shown_only_once(
    client_for: Callable[[str], TestClient], anonymous: TestClient
) -> None:
    officer = client_for("us-case-officer")
    created = officer.post("/api/v1/tokens", json={"name": "batch uploader", "days": 7})
    assert created.status_code == 201
    token = created.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert anonymous.get("/api/v1/cases", headers=headers).status_code == 200
    assert all("token" not in item for item in officer.get("/api/v1/tokens").json())
    assert officer.delete(f"/api/v1/tokens/{created.json()['id']}").status_code == 200
    assert anonymous.get("/api/v1/cases", headers=headers).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(
    client_for: Callable[[str], TestClient],
) -> None:
    created = client_for("us-case-officer").post("/api/v1/tokens", json={"name": "mine"})
    other = client_for("mx-case-officer").delete(f"/api/v1/tokens/{created.json()['id']}")
    assert other.status_code == 404


def test_token_lifetime_outside_one_to_366_days_is_refused_naming_the_field(
    client_for: Callable[[str], TestClient],
) -> None:
    response = client_for("us-case-officer").post("/api/v1/tokens", json={"days": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "days"


def test_reading_a_case_authenticates_the_caller_before_showing_it(
    anonymous: TestClient, container: Container
) -> None:
    # GET /cases/{id} reads the case together with the caller's credentials: what it
    # answers must still depend on them alone.
    listed = anonymous.get(
        "/api/v1/cases?limit=500",
        headers={"Authorization": f"Bearer {issue_token(container, 'us-case-officer', DAY)}"},
    ).json()["items"]
    us_mx = next(c for c in listed if (c["from_state"], c["to_state"]) == ("US", "MX"))
    path = f"/api/v1/cases/{us_mx['id']}"

    def read(raw: str | None) -> Any:
        headers = {"Authorization": f"Bearer {raw}"} if raw else {}
        return anonymous.get(path, headers=headers)

    assert read(None).status_code == 401
    expired = read(issue_token(container, "us-case-officer", timedelta(seconds=-1)))
    unknown = read("not-a-token")
    for refused in (expired, unknown):
        assert refused.status_code == 401 and us_mx["reference"] not in refused.text
    assert read(issue_token(container, "sv-case-officer", DAY)).status_code == 404  # not its states
    seen = read(issue_token(container, "mx-reviewer", DAY))
    assert seen.status_code == 200 and seen.json()["reference"] == us_mx["reference"]


def test_a_read_only_token_reads_what_its_user_may_and_changes_nothing(
    client_for: Callable[[str], TestClient], anonymous: TestClient, container: Container
) -> None:
    from sqlalchemy import func, select

    from repatria.adapters.db import tables as t

    officer = client_for("us-case-officer")
    created = officer.post("/api/v1/tokens", json={"name": "statistics feed", "read_only": True})
    assert created.status_code == 201 and created.json()["read_only"] is True
    reader = {"Authorization": f"Bearer {created.json()['token']}"}
    # It reads what the case officer reads, and no more: the same cases, the same 404s.
    assert anonymous.get("/api/v1/cases?limit=500", headers=reader).json() == (
        officer.get("/api/v1/cases?limit=500").json()
    )

    def events() -> int:
        with container.engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(t.events)) or 0)

    before = events()
    person = {"family_name": "Read", "given_names": "Only", "held_by_state": "US"}
    for method, path, body in (
        ("POST", "/api/v1/people", person),
        ("POST", "/api/v1/tokens", {"name": "a writer"}),  # nor a token that may write
        ("POST", "/api/v1/auth/logout-everywhere", None),
        ("PATCH", "/api/v1/people/1", {"given_names": "X"}),
    ):
        refused = anonymous.request(method, path, json=body, headers=reader)
        assert refused.status_code == 403, (path, refused.text)
        assert "read-only" in refused.json()["detail"]
    assert events() == before
    listed = {token["name"]: token["read_only"] for token in officer.get("/api/v1/tokens").json()}
    assert listed["statistics feed"] is True


def test_a_read_only_principal_can_change_nothing_in_any_use_case(container: Container) -> None:
    # Whatever the entrypoint, a change is recorded, and the record refuses a read-only caller.
    import pytest

    from repatria.domain.accounts import Principal, Role
    from repatria.domain.errors import PermissionDenied
    from repatria.services import people
    from repatria.services.commands import RecordPerson

    reader = Principal(1, "us-case-officer", Role.CASE_OFFICER, 1, "US", read_only=True)
    with container.uow() as uow, pytest.raises(PermissionDenied, match="read-only"):
        people.record(
            uow, reader, RecordPerson(family_name="X", given_names="Y", held_by_state="US")
        )
