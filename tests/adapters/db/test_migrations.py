"""Migrations: up from empty, down again, and in step with the table definitions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text

from repatria.adapters.db import migrate
from repatria.adapters.db import tables as t
from repatria.adapters.db.engine import make_engine, require_sqlite
from repatria.adapters.db.tables import metadata
from repatria.domain.audit import canonical_json, leaf_text
from repatria.domain.merkle import leaf_hash


def test_upgrade_from_empty_then_downgrade_to_base(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert {"people", "cases", "events", "users"} <= set(inspect(engine).get_table_names())
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)  # and up again, as after a rollback of a release
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_the_migrated_schema_matches_the_table_definitions(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    engine.dispose()


def test_migration_files_are_named_date_first() -> None:
    names = [p.name for p in (migrate.MIGRATIONS / "versions").glob("*.py")]
    assert names and all(name[:10].replace("_", "").isdigit() for name in names)


def _old_event(connection: Connection, seq: int, reason: str) -> bytes:
    """Record an event the way Repatria did before 0007: its fields in columns."""
    moment = "2026-11-30 10:00:00.000001"
    values = {
        "command": "OpenCase", "subject_type": "case", "subject_id": str(seq),
        "occurred_at": moment, "recorded_at": moment, "actor": "ana", "actor_id": None,
        "organisation_id": None, "before": "null", "after": canonical_json({"n": seq, "é": [1]}),
        "reason": reason, "legal_basis": "18 U.S.C. § 4100", "states": '["MX","US"]',
    }  # fmt: skip
    hashed = leaf_hash(leaf_text(seq=seq, **values).encode())  # type: ignore[arg-type]
    as_json = "CAST({} AS JSON)" if connection.dialect.name == "postgresql" else "{}"
    names = ", ".join(values)
    places = ", ".join(
        as_json.format(f":{n}") if n in ("before", "after", "states") else f":{n}" for n in values
    )
    connection.execute(
        text(f"INSERT INTO events ({names}, seq, leaf_hash) VALUES ({places}, :seq, :hash)"),  # noqa: S608
        values | {"seq": seq, "hash": hashed},
    )
    return hashed


def test_events_recorded_before_their_leaves_were_stored_keep_content_and_hash(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0006")
    with engine.begin() as connection:
        hashes = [_old_event(connection, seq, f'reason "{seq}"\n') for seq in range(3)]
    migrate.upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(select(t.events).order_by(t.events.c.seq)).mappings().all()
    assert [row["leaf_hash"] for row in rows] == hashes
    assert [row["reason"] for row in rows] == [f'reason "{seq}"\n' for seq in range(3)]
    assert rows[2]["after"] == {"n": 2, "é": [1]} and rows[0]["before"] is None
    assert rows[1]["occurred_at"] == datetime(2026, 11, 30, 10, 0, 0, 1, tzinfo=UTC)
    assert [leaf_hash(row["body"].encode()) for row in rows] == hashes
    migrate.downgrade(engine, "0006")  # and back, every field where it was
    with engine.connect() as connection:
        reasons = connection.scalars(text("SELECT reason FROM events ORDER BY seq")).all()
    assert reasons == [f'reason "{seq}"\n' for seq in range(3)]
    engine.dispose()


def test_a_record_that_no_longer_matches_its_hashes_is_not_migrated(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    migrate.upgrade(engine, "0006")
    with engine.begin() as connection:
        _old_event(connection, 0, "as recorded")
        connection.execute(text("UPDATE events SET reason = 'altered'"))
    with pytest.raises(RuntimeError, match="does not match its leaf hash"):
        migrate.upgrade(engine)
    assert migrate.current_revision(engine) == "0006"
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT reason FROM events")) == "altered"
    engine.dispose()


def test_a_sqlite_too_old_for_the_schema_is_refused_by_name() -> None:
    with pytest.raises(RuntimeError, match=r"SQLite 3\.37\.2 is too old: Repatria needs 3\.38\.0"):
        require_sqlite((3, 37, 2))
    require_sqlite((3, 38, 0))
