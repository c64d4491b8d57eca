"""Sign-in housekeeping: a successful sign-in deletes the throttle rows whose failures are
forgotten (they make nobody wait) and keeps those that still count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.throttle import PER_ACCOUNT
from repatria.services import login as signing_in
from repatria.services.demo import DEMO_PASSWORD
from repatria.services.unit_of_work import utcnow


@pytest.fixture
def database_content() -> str:
    return "demo"


def _keys(container: Container) -> set[str]:
    with container.engine.connect() as connection:
        return set(connection.scalars(select(t.login_throttles.c.key)))


def test_a_sign_in_deletes_only_the_throttle_rows_that_no_longer_count(
    container: Container,
) -> None:
    now = utcnow()
    rows = {
        "address:203.0.113.7": now - PER_ACCOUNT.forget_after - timedelta(minutes=1),
        "account:forgotten": now - timedelta(days=30),
        "account:still-counting": now - PER_ACCOUNT.forget_after + timedelta(minutes=5),
    }
    with container.engine.begin() as connection:
        connection.execute(
            insert(t.login_throttles),
            [{"key": key, "failures": 7, "last_attempt_at": at} for key, at in rows.items()],
        )
    with container.uow() as uow:
        signing_in.login(uow, "us-case-officer", DEMO_PASSWORD, "192.0.2.1", 1)
    assert _keys(container) == {
        "account:still-counting",
        "account:us-case-officer",
        "address:192.0.2.1",
    }
