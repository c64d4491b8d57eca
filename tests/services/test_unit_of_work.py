"""A server command's unit of work takes its writer's turn lazily and always gives it back;
it waits for another writer's lock, on PostgreSQL only up to the lock timeout."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.adapters.db.engine import LOCK_TIMEOUT
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.domain.errors import StorageBusy
from repatria.services.unit_of_work import WriterGate

pytestmark = pytest.mark.storage  # SQLite and PostgreSQL: what it tests differs by database

ACTOR = Principal.system("test")


def _free(gate: WriterGate) -> bool:
    # A slot is free if it can be taken at once (and is then given back).
    if gate._slots.acquire(blocking=False):
        gate.release()
        return True
    return False


def test_a_gated_unit_takes_the_turn_only_when_it_touches_the_database(
    container: Container,
) -> None:
    with container.uow(gated=True) as uow:
        assert _free(container.writers), "made, not yet used: it must not hold the turn"
        uow.session.execute(select(func.count()).select_from(t.events))
        assert not _free(container.writers)
    assert _free(container.writers)


def test_the_turn_is_given_back_when_the_command_fails(container: Container) -> None:
    with pytest.raises(ZeroDivisionError), container.uow(gated=True) as uow:
        uow.record(ACTOR, "OpenCase", "case", 1)
        uow.session.execute(select(1))
        _ = 1 / 0
    assert _free(container.writers)
    with container.uow() as uow:  # and nothing of it was written
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 0


def test_a_unit_made_in_one_thread_works_and_ends_in_others(container: Container) -> None:
    # The server makes it on its event loop, the command runs in a pool thread, and it is
    # closed back on the loop.
    unit = container.uow(gated=True).__enter__()
    done: list[int] = []

    def command() -> None:
        unit.record(ACTOR, "OpenCase", "case", 7)
        unit.commit()
        done.append(1)

    worker = threading.Thread(target=command)
    worker.start()
    worker.join(10)
    unit.__exit__(None, None, None)
    assert done == [1] and _free(container.writers)
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 1


def test_a_second_command_waits_for_the_turn_then_times_out_by_name(container: Container) -> None:
    container.writers = WriterGate(1, timeout_s=0.2)
    with container.uow(gated=True) as first:
        first.session.execute(select(1))
        with container.uow(gated=True) as second, pytest.raises(TimeoutError, match="no turn"):
            second.session.execute(select(1))
    assert _free(container.writers)


def test_the_turn_is_given_back_at_commit_and_taken_again_for_more_work(
    container: Container,
) -> None:
    with container.uow(gated=True) as uow:
        uow.record(ACTOR, "OpenCase", "case", 1)
        uow.commit()
        assert _free(container.writers), "committed: the next command may begin"
        uow.record(ACTOR, "OpenCase", "case", 2)
        uow.session.execute(select(1))
        assert not _free(container.writers), "a new transaction takes a turn again"
        uow.commit()
        assert _free(container.writers)
    assert _free(container.writers)
    with container.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(t.events)) == 2


def test_a_command_holds_the_write_lock_from_its_first_statement(
    container: Container, backend: str
) -> None:
    with container.uow(gated=True) as uow:
        uow.session.execute(select(1))
        assert not _free(container.writers)
        if backend == "postgresql":  # no lock to take at the start; a bounded wait for one
            waits = uow.connection().exec_driver_sql("SHOW lock_timeout").scalar()
            assert waits == LOCK_TIMEOUT
            uow.record(ACTOR, "OpenCase", "case", 3)
            uow.commit()
            assert _free(container.writers)
            return
        other = sqlite3.connect(container.engine.url.database or "", timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        uow.record(ACTOR, "OpenCase", "case", 3)
        uow.commit()
        assert _free(container.writers)
        other.execute("BEGIN IMMEDIATE")  # committed: the lock is free
        other.rollback()
        other.close()
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 1


def test_a_command_waits_for_another_writer_and_never_past_a_bound(
    container: Container, backend: str
) -> None:
    if backend != "sqlite":
        _a_row_held_elsewhere_stops_the_step_in_time_and_leaves_nothing(container)
        return
    other = sqlite3.connect(container.engine.url.database or "", timeout=0, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process's writer holds the lock
    threading.Timer(0.1, other.commit).start()
    began = time.monotonic()
    with container.uow(gated=True) as uow:
        uow.record(ACTOR, "OpenCase", "case", 4)
        uow.commit()
    assert time.monotonic() - began >= 0.09
    other.close()
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 1


def _a_row_held_elsewhere_stops_the_step_in_time_and_leaves_nothing(container: Container) -> None:
    # PostgreSQL: a writer waits for a row another transaction holds only until the lock
    # timeout, then stops with PostgreSQL's lock_not_available, which the adapter gives
    # the services as the domain's StorageBusy (HTTP 503).
    with container.engine.connect() as other:
        other.execute(select(t.audit_log_head).with_for_update())  # a writer at its commit
        with container.uow(gated=True) as uow:
            uow.record(ACTOR, "OpenCase", "case", 5)
            began = time.monotonic()
            with pytest.raises(StorageBusy) as stopped:
                uow.commit()
            assert time.monotonic() - began < 5
        assert getattr(stopped.value.__cause__, "sqlstate", None) == "55P03"
        other.rollback()
    assert _free(container.writers)
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 0
