"""The accounts repository on each database: what a token stands for, with a record read beside
it in the same statement; usernames by id; a throttle's row made when missing."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Role
from repatria.services import accounts
from repatria.services.ports.accounts import KeyedRead
from repatria.services.unit_of_work import utcnow

CASE_SUMMARY = KeyedRead("case", ("reference", "from_state", "to_state"))


@pytest.fixture
def database_content() -> str:
    return "demo"


def _officer_token(container: Container) -> tuple[int, str]:
    with container.uow() as uow:
        officer = uow.accounts.user_by_name("us-case-officer")
        assert officer is not None and officer.id is not None
        principal = accounts.principal_of(officer)
        _, raw = accounts.issue_api_token(uow, principal, "us-case-officer", "repository test", 1)
        user_id = officer.id
        uow.commit()
    return user_id, hashlib.sha256(raw.encode()).hexdigest()


def _a_case(container: Container) -> tuple[int, str]:
    with container.engine.connect() as connection:
        found = connection.execute(select(t.cases.c.id, t.cases.c.reference).limit(1)).one()
    return int(found.id), str(found.reference)


def test_a_token_stands_for_its_user_with_the_case_read_beside_it(container: Container) -> None:
    user_id, token_hash = _officer_token(container)
    case_id, reference = _a_case(container)
    with container.uow(read_only=True) as uow:
        holder, case = uow.accounts.token_holder_reading(token_hash, CASE_SUMMARY, case_id)
    assert holder is not None
    assert (holder.user_id, holder.username, holder.role, holder.state) == (
        user_id,
        "us-case-officer",
        Role.CASE_OFFICER,
        "US",
    )
    assert holder.revoked_at is None and holder.expires_at > utcnow()
    assert case is not None
    assert case["id"] == case_id and case["reference"] == reference
    assert set(case) == {"id", "reference", "from_state", "to_state"}


def test_a_case_not_found_beside_a_known_token_is_none(container: Container) -> None:
    _, token_hash = _officer_token(container)
    with container.uow(read_only=True) as uow:
        holder, case = uow.accounts.token_holder_reading(token_hash, CASE_SUMMARY, 10**9)
    assert holder is not None and holder.username == "us-case-officer"
    assert case is None


def test_an_unknown_token_stands_for_nobody_and_reads_nothing(container: Container) -> None:
    case_id, _ = _a_case(container)
    unknown = hashlib.sha256(b"rpt_never-issued").hexdigest()
    with container.uow(read_only=True) as uow:
        assert uow.accounts.token_holder(unknown) is None
        assert uow.accounts.token_holder_reading(unknown, CASE_SUMMARY, case_id) == (None, None)


def test_usernames_are_given_for_the_ids_that_name_a_user(container: Container) -> None:
    with container.uow(read_only=True) as uow:
        officer = uow.accounts.user_by_name("us-case-officer")
        reviewer = uow.accounts.user_by_name("us-reviewer")
        assert officer is not None and officer.id is not None
        assert reviewer is not None and reviewer.id is not None
        expected = {officer.id: "us-case-officer", reviewer.id: "us-reviewer"}
        assert uow.accounts.usernames({officer.id, reviewer.id, 10**9}) == expected
        assert uow.accounts.usernames(set()) == {}


def test_a_throttle_is_made_when_missing_and_read_as_counted(container: Container) -> None:
    now = utcnow()
    with container.uow() as uow:
        assert uow.accounts.throttle("address:198.51.100.9", now) == (0, now)
        uow.accounts.count_attempt("address:198.51.100.9", 3, now)
        later = now + timedelta(minutes=1)
        assert uow.accounts.throttle("address:198.51.100.9", later) == (3, now)
        uow.accounts.give_back_failure("address:198.51.100.9")
        assert uow.accounts.throttle_failures("address:198.51.100.9") == (2, now)
        uow.commit()
