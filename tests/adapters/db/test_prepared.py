"""Lean statements (adapters/db/prepared.py) give exactly what SQLAlchemy's execute gives."""

from __future__ import annotations

import gc
import weakref
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from repatria.adapters.db import tables as t
from repatria.adapters.db.engine import begin_on_loop, make_engine
from repatria.adapters.db.prepared import Prepared, together
from repatria.bootstrap import Container
from repatria.domain.cases import Case, CaseState


@pytest.fixture
def database_content() -> str:
    """The demo data: every kind of value the hot tables hold."""
    return "demo"


def _by_core(
    connection: Connection, statement: Any, params: dict[str, Any]
) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection.execute(statement, params).all()]


def _typed(rows: list[tuple[Any, ...]]) -> list[tuple[tuple[type, Any], ...]]:
    # Equal values of different types (1 and True, a str and its enum) must not pass as equal.
    return [tuple((type(value), value) for value in row) for row in rows]


HOT_TABLES = (
    t.people,
    t.citizenships,
    t.sentences,
    t.holds,
    t.protection_orders,
    t.cases,
    t.decisions,
    t.consent_verifications,
    t.assessments,
    t.events,
    t.users,
    t.organisations,
)


@pytest.mark.parametrize("table", HOT_TABLES, ids=lambda table: table.name)
def test_rows_match_sqlalchemy_value_for_value_and_type_for_type(
    container: Container, table: Any
) -> None:
    statement = select(table).where(table.c.id <= bindparam("last")).order_by(table.c.id)
    prepared = Prepared(statement)
    with container.engine.connect() as connection:
        expected = _by_core(connection, statement, {"last": 200})
        assert _typed(prepared.rows(connection, {"last": 200})) == _typed(expected)
    assert expected, f"the demo data has no {table.name} to compare"


def test_values_bound_in_the_statement_and_typed_parameters(container: Container) -> None:
    # "== 'case'" is bound by the statement itself; the moment goes through UtcDateTime.
    since = datetime(2000, 1, 1, tzinfo=UTC)
    statement = select(t.events.c.id, t.events.c.occurred_at).where(
        t.events.c.subject_type == "case", t.events.c.occurred_at >= bindparam("since")
    )
    with container.engine.connect() as connection:
        expected = _by_core(connection, statement, {"since": since})
        got = Prepared(statement).rows(connection, {"since": since})
        last = connection.execute(select(func.max(t.events.c.occurred_at))).scalar_one()
        later = Prepared(statement).rows(connection, {"since": last + timedelta(microseconds=1)})
    assert expected and _typed(got) == _typed(expected)
    assert later == []


def test_writes_run_inside_the_connection_transaction(container: Container) -> None:
    count = select(func.count()).select_from(t.cases)
    change = Prepared(
        update(t.cases)
        .where(t.cases.c.id == bindparam("case_id"))
        .values(state=bindparam("state"))
        .returning(t.cases.c.id, t.cases.c.state)
    )
    with container.engine.connect() as connection:
        before = connection.execute(select(t.cases.c.state).where(t.cases.c.id == 1)).scalar()
        assert change.rows(connection, {"case_id": 1, "state": CaseState.CANCELLED}) == [
            (1, CaseState.CANCELLED)
        ]
        connection.rollback()
        after = connection.execute(select(t.cases.c.state).where(t.cases.c.id == 1)).scalar()
        total = connection.execute(count).scalar()
    assert after == before != CaseState.CANCELLED
    assert total


def test_an_insert_returning_its_key_then_read_back(container: Container) -> None:
    served = datetime(2025, 1, 2, 15, 30, tzinfo=UTC)
    add = Prepared(
        insert(t.notices)
        .values(
            case_id=bindparam("case_id"),
            served_at=bindparam("served_at"),
            language_understood=True,
            explains_how_to_contest=bindparam("explains"),
            country=None,
        )
        .returning(t.notices.c.id, t.notices.c.served_at)
    )
    with container.engine.connect() as connection:
        case_id = connection.execute(select(func.min(t.cases.c.id))).scalar_one()
        ((notice_id, returned),) = add.rows(
            connection, {"case_id": case_id, "served_at": served, "explains": False}
        )
        stored = connection.execute(select(t.notices).where(t.notices.c.id == notice_id)).one()
        connection.rollback()
    assert returned == served == stored.served_at
    assert (stored.case_id, stored.language_understood, stored.explains_how_to_contest) == (
        case_id,
        True,
        False,
    )


def test_expanding_in_parameters_are_refused_with_the_reason() -> None:
    statement = select(t.cases.c.id).where(t.cases.c.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(TypeError, match="expanding IN"):
        Prepared(statement).rows(_FakeConnection(), {"ids": [1]})  # type: ignore[arg-type]


class _FakeConnection:
    @property
    def dialect(self) -> Any:
        from sqlalchemy.dialects import sqlite

        return sqlite.dialect()


def test_a_reading_unit_of_work_opened_lean_still_refuses_writes(container: Container) -> None:
    with container.uow(read_only=True) as uow:
        (found,) = Prepared(select(t.cases.c.id).where(t.cases.c.id == 1)).rows(uow.connection())
        assert found == (1,)
        case = uow.session.get(Case, 1)  # the session, asked for later, reads in the same unit
        assert case is not None
        case.state = CaseState.CANCELLED
        with pytest.raises(RuntimeError, match="cannot write"):
            uow.session.flush()


def test_a_driver_error_comes_out_as_sqlalchemy_raises_it(container: Container) -> None:
    # The API maps IntegrityError to 409; a raw driver error would have been a 500.
    add = Prepared(insert(t.organisations).values(code=bindparam("code"), name="x", state="US"))
    with container.engine.connect() as connection:
        code = connection.execute(select(t.organisations.c.code).limit(1)).scalar_one()
        with pytest.raises(IntegrityError) as raised:
            add.rows(connection, {"code": code})
        connection.rollback()
    assert "organisations" in str(raised.value) or "code" in str(raised.value)


@pytest.mark.parametrize("backend", ["postgresql"])  # a server can end a connection
def test_a_lost_connection_is_replaced_not_handed_out_again(container: Container) -> None:
    engine = container.read_engine
    assert engine is not None
    find = Prepared(select(t.cases.c.id).where(t.cases.c.id == 1))
    with engine.connect() as connection:
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with container.engine.begin() as admin:  # as a database restart would
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with engine.connect() as connection, pytest.raises(OperationalError) as raised:
        find.rows(connection)
    assert raised.value.connection_invalidated
    with engine.connect() as connection:  # the next read gets a working connection
        assert find.rows(connection) == [(1,)]


def test_statements_run_together_give_each_its_rows_in_order(container: Container) -> None:
    by_id = Prepared(select(t.cases.c.id, t.cases.c.state).where(t.cases.c.id == bindparam("id")))
    move = Prepared(
        update(t.cases)
        .where(t.cases.c.id == bindparam("id"))
        .values(state=bindparam("state"))
        .returning(t.cases.c.id)
    )
    with container.engine.connect() as connection:
        before = by_id.rows(connection, {"id": 2})
        found = together(
            connection,
            [
                (by_id, {"id": 1}),
                (move, {"id": 2, "state": CaseState.CANCELLED}),
                (by_id, {"id": 2}),  # sees the change made before it in the same transaction
                (by_id, {"id": 10**9}),
            ],
        )
        connection.rollback()
        after = by_id.rows(connection, {"id": 2})
    assert found[0] == by_id.rows(container.engine.connect(), {"id": 1})
    assert found[1:] == [[(2,)], [(2, CaseState.CANCELLED)], []]
    assert after == before != [(2, CaseState.CANCELLED)]


def test_the_statement_that_fails_among_others_is_the_one_named(container: Container) -> None:
    count = Prepared(select(func.count()).select_from(t.organisations))
    add = Prepared(insert(t.organisations).values(code=bindparam("code"), name="x", state="US"))
    with container.engine.connect() as connection:
        code = connection.execute(select(t.organisations.c.code).limit(1)).scalar_one()
        with pytest.raises(IntegrityError) as raised:
            together(connection, [(count, None), (add, {"code": code}), (count, None)])
        connection.rollback()
        assert together(connection, [(count, None), (count, None)])[0] == count.rows(connection)
    assert "INSERT INTO organisations" in str(raised.value)


# PostgreSQL's reading and loop engines send Prepared statements to libpq itself (_Libpq).
on_postgresql = pytest.mark.parametrize("backend", ["postgresql"])


def _prepared_here(connection: Connection) -> set[str]:
    found = connection.exec_driver_sql("SELECT name FROM pg_prepared_statements").scalars()
    return {name for name in found if name.startswith("repatria_")}


@on_postgresql
@pytest.mark.parametrize("table", HOT_TABLES, ids=lambda table: table.name)
def test_through_libpq_rows_match_sqlalchemy_value_for_value_and_type_for_type(
    container: Container, table: Any
) -> None:
    assert container.loop_engine is not None
    statement = select(table).where(table.c.id <= bindparam("last")).order_by(table.c.id)
    prepared = Prepared(statement)
    with container.loop_engine.connect() as connection:
        expected = _by_core(connection, statement, {"last": 200})
        assert _typed(prepared.rows(connection, {"last": 200})) == _typed(expected)
        assert len(_prepared_here(connection)) == 1  # it went through libpq, prepared
    assert expected, f"the demo data has no {table.name} to compare"


@on_postgresql
def test_through_libpq_statements_stay_prepared_across_rollbacks(container: Container) -> None:
    assert container.loop_engine is not None
    by_id = Prepared(select(t.cases.c.id, t.cases.c.state).where(t.cases.c.id == bindparam("id")))
    with begin_on_loop(container.loop_engine, "1s") as connection:
        first = by_id.rows(connection, {"id": 1})
        for _ in range(6):  # what the driver would have prepared, and deallocated at rollback
            connection.execute(select(t.cases.c.state).where(t.cases.c.id == 1)).all()
        prepared = _prepared_here(connection)
        connection.rollback()
    with begin_on_loop(container.loop_engine, "1s") as connection:  # the same pooled connection
        assert by_id.rows(connection, {"id": 1}) == first != []
        assert _prepared_here(connection) == prepared and len(prepared) == 1


@on_postgresql
def test_through_libpq_statements_run_together_with_the_commit(container: Container) -> None:
    assert container.loop_engine is not None
    move = Prepared(
        update(t.cases)
        .where(t.cases.c.id == bindparam("id"))
        .values(state=bindparam("state"))
        .returning(t.cases.c.id)
    )
    count = Prepared(select(func.count()).select_from(t.organisations))
    add = Prepared(insert(t.organisations).values(code=bindparam("code"), name="x", state="US"))
    state = select(t.cases.c.state).where(t.cases.c.id == 2)
    with container.engine.connect() as other:
        code = other.execute(select(t.organisations.c.code).limit(1)).scalar_one()
    cancel = (move, {"id": 2, "state": CaseState.CANCELLED})
    with begin_on_loop(container.loop_engine, "1s") as connection:
        with pytest.raises(IntegrityError) as raised:
            together(connection, [cancel, (add, {"code": code})], commit=True)
        connection.rollback()
    assert "INSERT INTO organisations" in str(raised.value)
    with container.engine.connect() as other:
        assert other.execute(state).scalar_one() != CaseState.CANCELLED  # nothing kept
    with begin_on_loop(container.loop_engine, "1s") as connection:
        found = together(connection, [cancel, (count, None)], commit=True)
        connection.commit()  # nothing left to send: the pipeline's COMMIT committed
    assert found[0] == [(2,)] and found[1][0][0] > 0
    with container.engine.connect() as other:
        assert other.execute(state).scalar_one() == CaseState.CANCELLED


@on_postgresql
def test_through_libpq_a_closed_connection_is_not_kept_alive(container: Container) -> None:
    engine = make_engine(container.settings.database_url, reading=True)
    with engine.connect() as connection:
        assert Prepared(select(t.cases.c.id).where(t.cases.c.id == 1)).rows(connection) == [(1,)]
        driver = weakref.ref(connection.connection.driver_connection)
    engine.dispose()  # as the pool closes an overflow connection, or after a restart
    gc.collect()
    assert driver() is None


@on_postgresql
def test_through_libpq_a_statement_that_cannot_be_prepared_is_the_one_named(
    container: Container,
) -> None:
    assert container.loop_engine is not None
    count = Prepared(select(func.count()).select_from(t.organisations))
    missing = Prepared(select(func.no_such_function(bindparam("x", 1))))
    with begin_on_loop(container.loop_engine, "1s") as connection:
        with pytest.raises(ProgrammingError, match="no_such_function"):
            together(connection, [(count, None), (missing, None)])
        connection.rollback()


@on_postgresql
def test_inside_the_driver_s_own_pipeline_statements_go_through_the_driver(
    container: Container,
) -> None:
    assert container.read_engine is not None
    by_id = Prepared(select(t.cases.c.id).where(t.cases.c.id == bindparam("id")))
    with container.read_engine.connect() as connection:
        with connection.connection.driver_connection.pipeline():
            assert by_id.rows(connection, {"id": 1}) == [(1,)]
        assert by_id.rows(connection, {"id": 1}) == [(1,)]
