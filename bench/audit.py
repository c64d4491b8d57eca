"""Benchmark: build a 1,000,000-event record and time `audit verify` on it, from the database.

    python bench/audit.py [--events N] [--postgresql] [--keep DIR]

The record is written in bulk as the application writes it: each event's leaf (laid out by
repatria.domain.audit.leaf_text) and its hash, the database deriving the other columns. It is
then verified three ways: the service call that `repatria audit verify` makes, the whole CLI
process, and, as a baseline, a plain SELECT of the same rows in one process. The last line
printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from repatria.adapters.db import migrate
from repatria.adapters.db.engine import make_engine
from repatria.bootstrap import build
from repatria.domain.audit import canonical_json, leaf_text, stored_moment
from repatria.domain.merkle import Frontier, leaf_hash
from repatria.services import audit_keys, audit_verify
from repatria.settings import Settings

COMMANDS = ("OpenCase", "ScreenCase", "RecordDecision", "VerifyConsent", "ScheduleTransfer")
START = datetime(2026, 1, 1, tzinfo=UTC)


def synthetic_rows(count: int) -> Iterator[tuple[str, bytes]]:
    """Events shaped like the application's (snapshots, reasons, legal bases, moments), each
    as the row the application writes: its leaf and the leaf's hash."""
    for seq in range(count):
        moment = stored_moment(START + timedelta(microseconds=seq * 1_234_567))
        before = canonical_json({"state": "screening", "version": seq % 9})
        after = canonical_json({"state": "approved", "version": seq % 9 + 1, "note": "é"})
        body = leaf_text(
            seq=seq,
            command=COMMANDS[seq % len(COMMANDS)],
            subject_type="case",
            subject_id=str(seq % 50_000),
            occurred_at=moment,
            recorded_at=moment,
            actor=f"officer-{seq % 40}",
            actor_id=None,
            organisation_id=None,
            before=before,
            after=after,
            reason=f"step {seq} of the transfer",
            legal_basis=f"assessment:{seq}",
            states=canonical_json(["MX", "US"]),
        )
        yield body, leaf_hash(body.encode())


INSERT = "INSERT INTO events (body, leaf_hash) VALUES ({0}, {0})"


def build_sqlite(path: Path, count: int) -> Frontier:
    """Migrate a SQLite file and bulk-insert the record; returns the log's frontier."""
    migrate.upgrade(make_engine(f"sqlite:///{path}"))
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    frontier = Frontier()

    def rows() -> Iterator[tuple[object, ...]]:
        for row in synthetic_rows(count):
            frontier.append(row[-1])
            yield row

    connection.executemany(INSERT.format("?"), rows())
    _set_head(connection, "?", frontier)
    connection.commit()
    connection.close()
    return frontier


def build_postgresql(url: str, count: int) -> Frontier:
    """Migrate the PostgreSQL database, COPY the record in, and VACUUM it.

    A record the application wrote grew an event a transaction, and autovacuum (which since
    PostgreSQL 13 also visits tables that are only inserted into) had long since marked its
    rows visible to all. Rows copied in a moment ago have not been: the first scan of them
    checks every row's transaction and writes every page again, about a second for a million
    here, which a live record never costs its auditor. VACUUM does now what autovacuum does
    over the record's life."""
    import psycopg

    migrate.upgrade(make_engine(url))
    frontier = Frontier()
    plain_url = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain_url) as connection:
        with connection.cursor().copy("COPY events (body, leaf_hash) FROM STDIN") as copy:
            for row in synthetic_rows(count):
                frontier.append(row[-1])
                copy.write_row(row)
        _set_head(connection, "%s", frontier)
    with psycopg.connect(plain_url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE) events")
    return frontier


def _set_head(connection: object, mark: str, frontier: Frontier) -> None:
    connection.execute(  # type: ignore[attr-defined]
        f"UPDATE audit_log_head SET size = {mark}, root_hash = {mark}, frontier = {mark}",  # noqa: S608
        (frontier.size, frontier.root(), frontier.to_bytes()),
    )


def time_verify(url: str, key_dir: Path) -> tuple[float, float]:
    """Seconds for the service's verify, and for the whole `repatria audit verify` process."""
    witness = key_dir / "audit-witness.log"
    settings = Settings(database_url=url, audit_key_file=key_dir / "audit.pem")
    container = build(settings)
    key = audit_keys.load_public_key(settings)
    started = time.perf_counter()
    with container.uow() as uow:
        report = audit_verify.verify(uow, url, key, witness=witness)
    verify_s = time.perf_counter() - started
    container.dispose()
    assert report.intact, report.finding
    environment = {**os.environ, "REPATRIA_DATABASE_URL": url}
    environment["REPATRIA_AUDIT_KEY_FILE"] = str(key_dir / "audit.pem")
    environment["REPATRIA_AUDIT_WITNESS_FILE"] = str(witness)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", CLI, "audit", "verify"],
        check=True,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    return verify_s, time.perf_counter() - started


CLI = (
    "import sys, typer; from repatria.entrypoints.cli.audit import audit_app; "
    "app = typer.Typer(); app.add_typer(audit_app, name='audit'); app()"
)


def time_plain_select(path: Path) -> float:
    """Seconds to read the rows verify reads, in one process and with no hashing at all."""
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    cursor = connection.execute("SELECT id, seq, leaf_hash, body FROM events ORDER BY seq")
    while cursor.fetchmany(10_000):
        pass
    connection.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgresql", action="store_true", help="also time PostgreSQL")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    arguments = parser.parse_args()
    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="repatria-bench-"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        key_settings = Settings(database_url=f"sqlite:///{folder}/key.sqlite3")
        audit_keys.load_signing_key(key_settings)
        (folder / audit_keys.DEFAULT_KEY_NAME).replace(folder / "audit.pem")
        # Writes its public key file beside it (audit.pub), which verify reads.
        audit_keys.load_signing_key(
            key_settings.model_copy(update={"audit_key_file": folder / "audit.pem"})
        )
        path = folder / "audit-bench.sqlite3"
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        build_sqlite(path, arguments.events)
        build_s = time.perf_counter() - started
        print(f"built {arguments.events} events in {build_s:.1f} s at {path}", file=sys.stderr)
        verify_s, cli_s = time_verify(f"sqlite:///{path}", folder)
        select_s = time_plain_select(path)
        result: dict[str, object] = {
            "events": arguments.events,
            "verify_s": round(verify_s, 2),
            "cli_verify_s": round(cli_s, 2),
            "plain_select_s": round(select_s, 2),
            "verify_over_select": round(verify_s / select_s, 2),
            "cores": os.cpu_count(),
            "build_s": round(build_s, 1),
        }
        if arguments.postgresql:
            result["postgresql"] = bench_postgresql(folder, arguments.events)
        print(json.dumps(result))
    finally:
        if arguments.keep is None:  # a throwaway folder: a million events take gigabytes
            shutil.rmtree(folder, ignore_errors=True)


def bench_postgresql(folder: Path, count: int) -> dict[str, object]:
    """The same on a throwaway PostgreSQL server started from the pgserver wheel."""
    import pgserver

    server = pgserver.get_server(folder / "pg", cleanup_mode="stop")
    try:
        url = server.get_uri().replace("postgresql://", "postgresql+psycopg://")
        started = time.perf_counter()
        build_postgresql(url, count)
        build_s = time.perf_counter() - started
        verify_s, cli_s = time_verify(url, folder)
        return {
            "verify_s": round(verify_s, 2),
            "cli_verify_s": round(cli_s, 2),
            "build_s": round(build_s, 1),
        }
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
