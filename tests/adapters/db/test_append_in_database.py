"""PostgreSQL's repatria_append_events (migration 0008) appends exactly as the application does."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain import merkle
from repatria.domain.accounts import Principal
from repatria.domain.audit import event_leaf
from repatria.domain.events import Event

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])

ACTOR = Principal.system("test")


def append(container: Container, reasons: list[str]) -> list[Event]:
    with container.uow() as uow:
        events = [
            uow.record(
                ACTOR,
                "OpenCase",
                "case",
                number,
                after={"number": number, "note": reason},
                reason=reason,
                states=["US", "MX"],
            )
            for number, reason in enumerate(reasons)
        ]
        uow.commit()
    return events


def stored(
    container: Container,
) -> tuple[list[tuple[int, int, str, bytes]], tuple[int, bytes, bytes]]:
    with container.engine.connect() as connection:
        rows = connection.execute(
            select(t.events.c.id, t.events.c.seq, t.events.c.body, t.events.c.leaf_hash).order_by(
                t.events.c.seq
            )
        ).all()
        head = connection.execute(
            select(
                t.audit_log_head.c.size, t.audit_log_head.c.root_hash, t.audit_log_head.c.frontier
            )
        ).one()
    return [tuple(row) for row in rows], tuple(head)  # type: ignore[return-value]


def test_batches_across_every_power_of_two_leave_the_head_the_application_computes(
    container: Container,
) -> None:
    start = stored(container)[1][0]
    mine: list[Event] = []
    for batch in (1, 2, 3, 1, 5, 8, 1, 16, 7, 21):
        mine += append(container, [f"batch of {batch}, event {i}" for i in range(batch)])
        rows, (size, root, packed) = stored(container)
        leaves = [merkle.leaf_hash(body.encode()) for _, _, body, _ in rows]
        assert [seq for _, seq, _, _ in rows] == list(range(size))
        assert [hashed for *_, hashed in rows] == leaves
        assert root == merkle.tree_hash(leaves)
        frontier = merkle.Frontier()
        for leaf in leaves:
            frontier.append(leaf)
        assert (size, packed) == (frontier.size, frontier.to_bytes())
    assert size == start + 65
    by_id = {event_id: (seq, body) for event_id, seq, body, _ in rows}
    for event in mine:  # each given its row's id, and stored as its leaf at its seq
        seq, body = by_id[event.id]
        assert body.encode() == event_leaf(event, seq)


def test_text_beyond_ascii_and_escaped_line_breaks_hash_as_their_utf8_bytes(
    container: Container,
) -> None:
    awkward = ["línea uno\nlínea dos\r\n\tfin", 'comillas " y \\ barra', "中文 ✓ 🇲🇽", ""]
    events = append(container, awkward)
    rows = {event_id: (body, hashed) for event_id, _, body, hashed in stored(container)[0]}
    with container.engine.connect() as connection:
        reasons = dict(connection.execute(select(t.events.c.id, t.events.c.reason)).all())
    for event, reason in zip(events, awkward, strict=True):
        body, hashed = rows[event.id]
        assert hashed == merkle.leaf_hash(body.encode("utf-8"))
        assert reasons[event.id] == reason  # derived from the leaf: what was hashed reads back


def test_a_head_whose_frontier_does_not_fit_its_size_refuses_and_stores_nothing(
    container: Container,
) -> None:
    append(container, ["before"])
    with container.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log_head SET frontier = frontier || '\\x00'::bytea"))
    before = stored(container)
    with pytest.raises(DBAPIError, match=r"frontier \(\d+ bytes\) does not fit its size"):
        append(container, ["refused"])
    assert stored(container) == before
    with container.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(t.events)) == len(before[0])
