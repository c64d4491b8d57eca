"""Rows read as JSON in one statement (adapters/db/json_rows.py) are the rows read one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, bindparam, insert, select

from repatria.adapters.db import tables as t
from repatria.adapters.db.json_rows import RowsAsJson
from repatria.adapters.db.prepared import Prepared
from repatria.bootstrap import Container

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])  # PostgreSQL's json_agg

PERSON_TABLES = (
    t.people,
    t.citizenships,
    t.identifiers,
    t.sentences,
    t.protection_orders,
    t.holds,
    t.removal_orders,
)
CASE_TABLES = (t.decisions, t.consent_verifications, t.notices, t.fear_claims)


@pytest.fixture
def database_content() -> str:
    """The demo data: a case at every state, with every kind of record."""
    return "demo"


def _parts() -> list[tuple[Any, Any]]:
    person, case = bindparam("person"), bindparam("case")
    parts: list[tuple[Any, Any]] = [(t.people, t.people.c.id == person)]
    parts += [(table, table.c.person_id == person) for table in PERSON_TABLES[1:]]
    parts += [(table, table.c.case_id == case) for table in CASE_TABLES]
    return parts


def _one_by_one(connection: Connection, keys: dict[str, int]) -> list[list[tuple[Any, ...]]]:
    return [
        Prepared(select(table).where(condition).order_by(table.c.id)).rows(connection, keys)
        for table, condition in _parts()
    ]


def _typed(tables: list[list[tuple[Any, ...]]]) -> list[list[tuple[tuple[type, Any], ...]]]:
    # A date and a moment, or a str and its enum, are equal only with the same type too.
    return [[tuple((type(v), v) for v in row) for row in rows] for rows in tables]


def test_every_case_s_records_read_at_once_are_those_read_table_by_table(
    container: Container,
) -> None:
    at_once = RowsAsJson(_parts())
    with container.engine.connect() as connection:
        cases = connection.execute(select(t.cases.c.id, t.cases.c.person_id)).all()
        compared = 0
        for case_id, person_id in cases:
            keys = {"person": person_id, "case": case_id}
            found = at_once.rows(connection, keys)
            assert _typed(found) == _typed(_one_by_one(connection, keys)), case_id
            compared += sum(len(rows) for rows in found)
    # the demo has records of every kind to compare
    assert compared > len(cases) * 3


def test_awkward_values_and_another_session_time_zone_read_back_the_same(
    container: Container,
) -> None:
    awkward = 'Ñúñez "O\'Brien" \\ back\nslash 👣 \u2028'
    with container.engine.connect() as connection:
        # The server prints moments in JSON in the session's zone: they must still be the
        # same instants, in UTC, as the driver gives them.
        connection.exec_driver_sql("SET TimeZone = 'America/Mexico_City'")
        moment = datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC)
        ((person_id,),) = Prepared(
            insert(t.people)
            .values(
                family_name=awkward,
                given_names="",
                birth_date=date(1, 1, 1),
                held_by_state="US",
                created_at=moment,
                updated_at=datetime(1970, 1, 1, tzinfo=UTC),
                version=1,
            )
            .returning(t.people.c.id)
        ).rows(connection)
        connection.execute(
            insert(t.removal_orders).values(
                person_id=person_id,
                issued_on=date(9999, 12, 31),
                final=False,
                designated_countries=[{"code": awkward, "n": 2**53 + 1, "none": None}, []],
            )
        )
        keys = {"person": person_id, "case": 0}
        found = RowsAsJson(_parts()).rows(connection, keys)
        expected = _one_by_one(connection, keys)
        connection.rollback()
    assert _typed(found) == _typed(expected)
    assert found[0][0][1] == awkward
    assert found[0][0][5] == moment and found[0][0][5].tzinfo is UTC
