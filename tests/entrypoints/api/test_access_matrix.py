"""Every role of every demo state against every endpoint: who may do what, and who sees what.

The expectations are written here from the access rules of the brief, independently of the
code: a user sees people and cases involving their own state; auditors read everything and
change nothing; out of scope answers 404 (existence does not leak); a role that may not act
gets 403; no credentials get 401.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Role
from repatria.services.demo import demo_logins

USERS = [(username, Role(role), state) for username, role, state in demo_logins()]


@dataclass(frozen=True)
class Subject:
    """A demo person (and their case) with the states their records involve."""

    person_id: int
    case_id: int
    states: frozenset[str]


def _subject(container: Container, a_number_or_register: str) -> Subject:
    with container.engine.connect() as connection:
        person_id = connection.scalar(
            select(t.identifiers.c.person_id).where(t.identifiers.c.value == a_number_or_register)
        )
        case = connection.execute(
            select(t.cases.c.id, t.cases.c.from_state, t.cases.c.to_state).where(
                t.cases.c.person_id == person_id
            )
        ).one()
    return Subject(int(person_id), case.id, frozenset({case.from_state, case.to_state}))


@pytest.fixture
def venezuelan(container: Container) -> Subject:
    """Only the US and Venezuela are involved: Mexico and El Salvador must not see him."""
    return _subject(container, "A212345678")


@pytest.fixture
def batch_member(container: Container) -> Subject:
    """Held by the US with a case to Mexico."""
    return _subject(container, "40000-479")


def sees(role: Role, state: str, subject: Subject) -> bool:
    return role is Role.AUDITOR or state in subject.states


def read_status(role: Role, state: str, subject: Subject) -> int:
    return 200 if sees(role, state, subject) else 404


def check_matrix(
    client_for: Callable[[str], TestClient],
    call: Callable[[TestClient, str], Any],
    expected: Callable[[Role, str], int],
) -> None:
    mismatches = []
    for username, role, state in USERS:
        response = call(client_for(username), username)
        if response.status_code != expected(role, state):
            mismatches.append(
                f"{username}: got {response.status_code}, expected {expected(role, state)}"
                f" ({response.text[:120]})"
            )
    assert not mismatches, "\n".join(mismatches)


def test_reading_a_person(client_for: Any, venezuelan: Subject, batch_member: Subject) -> None:
    for subject in (venezuelan, batch_member):
        check_matrix(
            client_for,
            lambda c, _, s=subject: c.get(f"/api/v1/people/{s.person_id}"),
            lambda role, state, s=subject: read_status(role, state, s),
        )


def test_reading_a_case(client_for: Any, venezuelan: Subject, batch_member: Subject) -> None:
    for subject in (venezuelan, batch_member):
        check_matrix(
            client_for,
            lambda c, _, s=subject: c.get(f"/api/v1/cases/{s.case_id}"),
            lambda role, state, s=subject: read_status(role, state, s),
        )


def test_listings_show_only_what_involves_ones_state(
    client_for: Any, venezuelan: Subject, batch_member: Subject
) -> None:
    for username, role, state in USERS:
        client = client_for(username)
        people = {p["id"] for p in client.get("/api/v1/people?limit=500").json()["items"]}
        cases = client.get("/api/v1/cases?limit=500").json()["items"]
        for subject in (venezuelan, batch_member):
            assert (subject.person_id in people) == sees(role, state, subject), username
        for case in cases:
            assert role is Role.AUDITOR or state in (case["from_state"], case["to_state"])


def test_correcting_a_person(client_for: Any, venezuelan: Subject) -> None:
    def expected(role: Role, state: str) -> int:
        if role is not Role.CASE_OFFICER:
            return 403
        if not sees(role, state, venezuelan):
            return 404
        return 200 if state == "US" else 403

    check_matrix(
        client_for,
        lambda c, _: c.patch(f"/api/v1/people/{venezuelan.person_id}", json={"given_names": "D."}),
        expected,
    )


def test_recording_a_person_held_by_the_us(client_for: Any) -> None:
    def body(username: str) -> dict[str, Any]:
        return {"family_name": username, "given_names": "Test", "held_by_state": "US"}

    check_matrix(
        client_for,
        lambda c, username: c.post("/api/v1/people", json=body(username)),
        lambda role, state: 201 if role is Role.CASE_OFFICER and state == "US" else 403,
    )


def test_opening_a_case(client_for: Any, venezuelan: Subject) -> None:
    def expected(role: Role, state: str) -> int:
        if role is not Role.CASE_OFFICER:
            return 403
        if state not in ("US", "VE"):
            return 403  # the case would not involve their state
        return 201

    body = {
        "person_id": venezuelan.person_id,
        "authority": "us-removal",
        "from_state": "US",
        "to_state": "VE",
    }
    check_matrix(client_for, lambda c, _: c.post("/api/v1/cases", json=body), expected)


def test_opening_a_case_for_someone_out_of_scope_is_404(
    client_for: Any, venezuelan: Subject
) -> None:
    body = {
        "person_id": venezuelan.person_id,
        "authority": "us-mx-1976",
        "from_state": "US",
        "to_state": "MX",
    }
    response = client_for("mx-case-officer").post("/api/v1/cases", json=body)
    assert response.status_code == 404


def test_organisations_are_listed_to_all_and_created_by_no_api_user(client_for: Any) -> None:
    # The installation's operator creates them, on the server's command line.
    check_matrix(client_for, lambda c, _: c.get("/api/v1/organisations"), lambda r, s: 200)
    check_matrix(
        client_for,
        lambda c, username: c.post(
            "/api/v1/organisations",
            json={"code": f"org-{username}", "name": f"Org of {username}", "state": "GT"},
        ),
        lambda role, state: 403,
    )


def test_everyone_may_read_themselves_and_manage_their_own_tokens(client_for: Any) -> None:
    check_matrix(client_for, lambda c, _: c.get("/api/v1/auth/me"), lambda r, s: 200)
    check_matrix(client_for, lambda c, _: c.post("/api/v1/tokens", json={}), lambda r, s: 201)
    check_matrix(
        client_for,
        lambda c, _: c.post("/api/v1/tokens", json={"username": "us-finance"}),
        # nobody, administrators included, for someone else; us-finance asks for itself
        lambda role, state: 201 if (role, state) == (Role.FINANCE, "US") else 403,
    )


def _administers(role: Role, state: str, target_state: str) -> int:
    # Only an administrator manages users, and only those of its own state (others: 404).
    if role is not Role.ADMIN:
        return 403
    return 200 if state == target_state else 404


def test_only_an_administrator_lists_users_and_only_of_its_own_state(client_for: Any) -> None:
    check_matrix(
        client_for,
        lambda c, _: c.get("/api/v1/users"),
        lambda role, state: 200 if role is Role.ADMIN else 403,
    )
    for username, role, state in USERS:
        if role is Role.ADMIN:
            listed = client_for(username).get("/api/v1/users").json()
            assert {u["organisation"]["state"] for u in listed} == {state}


def test_users_are_created_by_the_administrator_of_their_state_below_administrator(
    client_for: Any,
) -> None:
    def body(username: str, role: str) -> dict[str, Any]:
        return {
            "username": f"new-{role}-{username}",
            "display_name": "New user",
            "password": "a-long-new-password",
            "role": role,
            "organisation_code": "us-iptu",
        }

    check_matrix(
        client_for,
        lambda c, username: c.post("/api/v1/users", json=body(username, "case_officer")),
        lambda role, state: 201 if (role, state) == (Role.ADMIN, "US") else 403,
    )
    for role in ("admin", "auditor"):  # the installation's operator's to create
        check_matrix(
            client_for,
            lambda c, username, r=role: c.post("/api/v1/users", json=body(username, r)),
            lambda role, state: 403,
        )


@pytest.fixture
def us_clerk(container: Container) -> int:
    """A US case officer no demo client signs in as, for administrators to act on."""
    from repatria.domain.accounts import Principal
    from repatria.services import accounts
    from repatria.services.commands import CreateUser

    command = CreateUser(
        username="us-clerk",
        display_name="US clerk",
        password="a-long-clerk-password",
        role=Role.CASE_OFFICER,
        organisation_code="us-iptu",
    )
    with container.uow() as uow:
        user = accounts.create_user(uow, Principal.system("test"), command)
        uow.commit()
        assert user.id is not None
        return user.id


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("get", "/tokens", None),
        ("patch", "", {"role": "reviewer"}),
        ("post", "/deactivate", {}),
        ("post", "/reactivate", {}),
        ("post", "/reset-password", None),
    ],
)
def test_a_user_is_managed_only_by_the_administrator_of_their_state(
    client_for: Any, us_clerk: int, method: str, action: str, body: dict[str, Any] | None
) -> None:
    check_matrix(
        client_for,
        lambda c, _: c.request(method, f"/api/v1/users/{us_clerk}{action}", json=body),
        lambda role, state: _administers(role, state, "US"),
    )


def test_everyone_may_sign_out_everywhere(client_for: Any) -> None:
    check_matrix(
        client_for, lambda c, _: c.post("/api/v1/auth/logout-everywhere"), lambda r, s: 204
    )


PUBLIC = {
    "/api/v1/health",
    "/api/v1/lifecycles",  # the state machines, public like the law
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/auth/password",  # authenticates by the password it is given
    "/api/v1/exchange/inbox",  # a peer's envelope carries its signature (docs/federation.md)
}


def test_every_endpoint_but_health_login_and_password_change_needs_credentials(
    app: Any, anonymous: TestClient
) -> None:
    refused = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if not path.startswith("/api/v1/") or path in PUBLIC:
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method in route.methods:
            response = anonymous.request(method, concrete, json={})
            if response.status_code != 401:
                refused.append(f"{method} {path}: {response.status_code}")
    assert not refused, refused
