"""Every role of every demo state against every endpoint: who may do what, and who sees what.

The expectations are written here from the access rules of the brief, independently of the
code: a user sees people and cases involving their own state; auditors read everything and
change nothing; out of scope answers 404 (existence does not leak); a role that may not act
gets 403; no credentials get 401.
"""

from __future__ import annotations

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


def test_organisations_are_listed_to_all_and_created_by_admins_only(client_for: Any) -> None:
    check_matrix(client_for, lambda c, _: c.get("/api/v1/organisations"), lambda r, s: 200)
    check_matrix(
        client_for,
        lambda c, username: c.post(
            "/api/v1/organisations",
            json={"code": f"org-{username}", "name": f"Org of {username}", "state": "GT"},
        ),
        lambda role, state: 201 if role is Role.ADMIN else 403,
    )


def test_everyone_may_read_themselves_and_manage_their_own_tokens(client_for: Any) -> None:
    check_matrix(client_for, lambda c, _: c.get("/api/v1/auth/me"), lambda r, s: 200)
    check_matrix(client_for, lambda c, _: c.post("/api/v1/tokens", json={}), lambda r, s: 201)
    check_matrix(
        client_for,
        lambda c, _: c.post("/api/v1/tokens", json={"username": "us-finance"}),
        # for someone else only as an administrator; us-finance asking is asking for itself
        lambda role, state: (
            201 if role is Role.ADMIN or (role, state) == (Role.FINANCE, "US") else 403
        ),
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/people"),
        ("get", "/api/v1/people/1"),
        ("post", "/api/v1/people"),
        ("patch", "/api/v1/people/1"),
        ("get", "/api/v1/cases"),
        ("get", "/api/v1/cases/1"),
        ("post", "/api/v1/cases"),
        ("get", "/api/v1/organisations"),
        ("get", "/api/v1/tokens"),
        ("post", "/api/v1/organisations"),
        ("get", "/api/v1/auth/me"),
    ],
)
def test_every_endpoint_but_health_and_login_needs_credentials(
    anonymous: TestClient, method: str, path: str
) -> None:
    assert anonymous.request(method, path, json={}).status_code == 401
