"""A server command's unit of work takes its writer's turn lazily and always gives it back."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.services.unit_of_work import LOOP_LOCK_TIMEOUT, WriterGate

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


def test_units_waiting_on_the_event_loop_are_handed_the_turn_in_their_order() -> None:
    gate = WriterGate(1)
    order: list[int] = []

    async def unit(n: int) -> None:
        await gate.acquire_async()
        order.append(n)
        await asyncio.sleep(0.01)
        gate.release()

    async def run() -> None:
        await gate.acquire_async()
        waiting = []
        for n in range(1, 6):
            waiting.append(asyncio.create_task(unit(n)))
            await asyncio.sleep(0.002)  # queued one after another
        gate.release()
        await asyncio.gather(*waiting)

    asyncio.run(run())
    assert order == [1, 2, 3, 4, 5]
    assert _free(gate)


def test_a_unit_waiting_on_the_loop_times_out_by_name_and_takes_no_slot() -> None:
    gate = WriterGate(1, timeout_s=0.1)
    gate.acquire()  # a web page's command, in a thread
    with pytest.raises(TimeoutError, match="no turn to write"):
        asyncio.run(gate.acquire_async())
    gate.release()
    assert _free(gate)


def test_a_cancelled_waiter_is_passed_over_and_a_thread_hands_the_turn_to_the_loop() -> None:
    gate = WriterGate(1)
    got: list[str] = []

    async def run() -> None:
        gate.acquire()
        cancelled = asyncio.create_task(gate.acquire_async())
        await asyncio.sleep(0.01)
        second = asyncio.create_task(gate.acquire_async())
        await asyncio.sleep(0.01)
        cancelled.cancel()
        await asyncio.sleep(0.01)
        threading.Thread(target=gate.release).start()  # given back from another thread
        await asyncio.wait_for(second, 5)
        got.append("second")
        gate.release()

    asyncio.run(run())
    assert got == ["second"] and _free(gate)


def test_a_command_begins_writing_from_the_loop_holding_its_turn_and_the_write_lock(
    container: Container, backend: str
) -> None:
    with container.uow() as uow:
        assert asyncio.run(uow.begin_writing()) is False  # not gated: not the server's
    with container.uow(gated=True) as uow:
        assert asyncio.run(uow.begin_writing()) is True
        assert asyncio.run(uow.begin_writing()) is False  # begun already
        assert not _free(container.writers)
        if backend == "postgresql":  # no lock to take at the start; a bounded wait for one
            waits = uow.connection().exec_driver_sql("SHOW lock_timeout").scalar()
            assert waits == LOOP_LOCK_TIMEOUT
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


@pytest.mark.parametrize("backend", ["postgresql"])  # a server can end a connection
def test_a_step_begun_on_a_connection_the_server_ended_gets_another(
    container: Container,
) -> None:
    # The loop's engine does not ping: its BEGIN is the first statement on the connection,
    # and a connection found dead by it is replaced, as a ping would have replaced it.
    engine = container.loop_engine
    assert engine is not None
    with engine.connect() as pooled:
        pid = pooled.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    with container.engine.begin() as admin:  # as a database restart would
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with container.uow(gated=True) as uow:
        assert asyncio.run(uow.begin_writing()) is True
        now = uow.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        uow.record(ACTOR, "OpenCase", "case", 6)
        uow.commit()
    assert now != pid and _free(container.writers)
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 1


@pytest.mark.parametrize("backend", ["postgresql"])  # the loop's engine is in autocommit
def test_a_step_begun_on_the_loop_and_not_committed_leaves_nothing_to_the_next(
    container: Container,
) -> None:
    # Its driver begins no transaction of its own: what an abandoned step wrote must still be
    # rolled back when its connection goes back to the pool, not committed by the next step.
    async def run() -> tuple[int, int]:
        with container.uow(gated=True) as abandoned:
            assert await abandoned.begin_writing()
            first = abandoned.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            abandoned.record(ACTOR, "OpenCase", "case", 7)
            abandoned.connection().exec_driver_sql(
                "UPDATE audit_log_head SET size = size + 100 WHERE id = 1"
            )
        with container.uow(gated=True) as uow:
            assert await uow.begin_writing()
            again = uow.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            uow.record(ACTOR, "OpenCase", "case", 8)
            uow.commit()
        return first, again

    first, again = asyncio.run(run())
    assert first == again  # the same pooled connection
    with container.uow() as uow:
        subjects = uow.session.scalars(select(t.events.c.subject_id)).all()
        size = uow.session.scalar(select(t.audit_log_head.c.size))
    assert subjects == ["8"] and size == 1


def test_beginning_from_the_loop_waits_for_another_writer_without_blocking_the_loop(
    container: Container, backend: str
) -> None:
    if backend != "sqlite":
        _a_row_held_elsewhere_stops_the_step_in_time_and_leaves_nothing(container)
        return
    other = sqlite3.connect(container.engine.url.database or "", timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another process's writer holds the lock
    ticks: list[float] = []

    async def run() -> bool:
        async def tick() -> None:
            for _ in range(10):
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        async def let_go() -> None:
            await asyncio.sleep(0.1)
            other.commit()

        with container.uow(gated=True) as uow:
            began, _, _ = await asyncio.gather(uow.begin_writing(), tick(), let_go())
            uow.record(ACTOR, "OpenCase", "case", 4)
            uow.commit()
        return began

    assert asyncio.run(run()) is True
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert max(gaps) < 0.08  # the loop went on ticking while the unit waited 0.1 s
    other.close()
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 1


def _a_row_held_elsewhere_stops_the_step_in_time_and_leaves_nothing(container: Container) -> None:
    # PostgreSQL: a step on the loop waits for a row another transaction holds only until
    # LOOP_LOCK_TIMEOUT, then stops with PostgreSQL's lock_not_available (HTTP 503).
    with container.engine.connect() as other:
        other.execute(select(t.audit_log_head).with_for_update())  # a writer at its commit
        with container.uow(gated=True) as uow:
            assert asyncio.run(uow.begin_writing()) is True
            uow.record(ACTOR, "OpenCase", "case", 5)
            began = time.monotonic()
            with pytest.raises(OperationalError) as stopped:
                uow.commit()
            assert time.monotonic() - began < 5
        assert getattr(stopped.value.orig, "sqlstate", None) == "55P03"
        other.rollback()
    assert _free(container.writers)
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 0


def test_a_waiter_whose_loop_has_closed_is_passed_over() -> None:
    gate = WriterGate(1)
    gate.acquire()
    loop = asyncio.new_event_loop()
    waiting = loop.create_task(gate.acquire_async())
    loop.run_until_complete(asyncio.sleep(0.01))  # queued; then its loop goes away
    loop.close()
    gate.release()
    assert _free(gate)
    del waiting


def test_a_thread_waiting_for_the_turn_goes_before_units_queued_on_the_loop() -> None:
    gate = WriterGate(1, timeout_s=5)
    order: list[str] = []

    def page_command() -> None:  # a web page's command, in a thread
        gate.acquire()
        order.append("thread")
        gate.release()

    async def run() -> None:
        await gate.acquire_async()
        thread = threading.Thread(target=page_command)
        thread.start()
        await asyncio.sleep(0.05)  # the thread waits
        queued = asyncio.create_task(gate.acquire_async())
        await asyncio.sleep(0.01)
        gate.release()
        await asyncio.wait_for(queued, 5)
        order.append("loop")
        gate.release()
        thread.join(5)

    asyncio.run(run())
    assert order == ["thread", "loop"] and _free(gate)


def test_a_thread_that_gives_up_leaves_the_turn_to_the_units_on_the_loop() -> None:
    gate = WriterGate(1, timeout_s=0.2)
    outcome: list[str] = []

    def page_command() -> None:
        try:
            gate.acquire()
            outcome.append("thread")
        except TimeoutError:
            outcome.append("thread gave up")

    async def run() -> None:
        await gate.acquire_async()
        thread = threading.Thread(target=page_command)
        thread.start()
        await asyncio.sleep(0.02)
        queued = asyncio.create_task(gate.acquire_async())
        await asyncio.sleep(0.01)
        thread.join(5)  # it times out while this unit still holds the turn
        gate.release()  # given back after the thread gave up: the waiter on the loop gets it
        await asyncio.wait_for(queued, 0.15)
        outcome.append("loop")
        gate.release()

    asyncio.run(run())
    assert outcome == ["thread gave up", "loop"] and _free(gate)


def test_a_unit_begun_from_the_loop_ends_with_its_commit_and_begins_again_only_so(
    container: Container,
) -> None:
    async def run() -> None:
        with container.uow(gated=True) as uow:
            assert await uow.begin_writing()
            uow.record(ACTOR, "OpenCase", "case", 6)
            uow.commit()
            assert _free(container.writers)
            with pytest.raises(RuntimeError, match="begin_writing"):
                uow.session.execute(select(1))  # would block the loop for a turn
            assert await uow.begin_writing()  # a new transaction, a new turn
            uow.record(ACTOR, "OpenCase", "case", 7)
            uow.commit()
        assert _free(container.writers)

    asyncio.run(run())
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.events)) == 2
