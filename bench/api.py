"""Benchmark: the API under 32 concurrent clients, on SQLite and then on PostgreSQL.

    python bench/api.py [--seconds 8] [--clients 32] [--workers 2] [--only sqlite|postgresql]

For each database: migrate, load the demo data, seed draft treaty cases, start `repatria serve`
on a free loopback port as its own process, then drive it from this process with concurrent
keep-alive clients (bench/loadgen.py) for a bounded time: a warm-up of case reads, the
baseline GET /api/v1/health (no case read), case reads (GET /api/v1/cases/{id}, also given as
a ratio to the baseline), then transitions (submit, then screen: each one re-assessed by the
legal engine and recorded as an event). On PostgreSQL the case reads are first measured
against one worker, and `two_workers_read_ratio` gives the reads of `--workers 2` as a
multiple of one worker's (scaling out: more stateless workers on one database).
`steal_pct` is the share of the machine's CPU time other guests of its host took while
measuring: a slow host shows there. Targets (DESIGN.md §8, docs/architecture.md): reads
≥ 1,000/s with p99 ≤ 50 ms, transitions ≥ 150/s, two workers' reads ≥ 1.5 times one's.
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from loadgen import Connection, connect, request
from repatria.adapters.db import migrate
from repatria.adapters.db import tables as t
from repatria.bootstrap import build
from repatria.domain.accounts import User
from repatria.services import accounts, case_facts, cases, clock, demo, people
from repatria.services.case_facts import AssertCaseFacts
from repatria.services.commands import OpenCase, RecordPerson
from repatria.settings import Settings
from serving import api_token, free_port, serve

FACTS = {
    "person_competent": True,
    "person_years_in_sending_state": 3,
    "person_intends_to_remain": False,
    "sentence_dual_criminality": True,
    "sentence_other_charges_pending": False,
}


def seed(env: dict[str, str], count: int) -> tuple[list[int], str]:
    """Migrate, load the demo data, open `count` draft cases; returns their ids and a token."""
    os.environ.update(env)
    container = build(Settings())
    migrate.upgrade(container.engine)
    with container.uow() as uow:
        demo.load(uow)
        uow.commit()
    today = clock.today()
    ids: list[int] = []
    with container.uow() as uow:
        wanted = select(User).where(t.users.c.username == "us-case-officer")
        officer_user = uow.session.scalar(wanted)
        assert officer_user is not None
        officer = accounts.principal_of(officer_user)
    for start in range(0, count, 250):
        with container.uow() as uow:
            for n in range(start, min(count, start + 250)):
                person = people.record(
                    uow,
                    officer,
                    RecordPerson.model_validate(
                        {
                            "family_name": f"Banco {n}",
                            "given_names": "Prueba",
                            "birth_date": "1980-01-01",
                            "held_by_state": "US",
                            "citizenships": [{"country": "MX"}],
                            "sentences": [
                                {
                                    "offense": "Importation of a controlled substance",
                                    "offense_category": "drug_trafficking",
                                    "jurisdiction": "US",
                                    "start_date": (today - timedelta(days=400)).isoformat(),
                                    "length_days": 3000,
                                }
                            ],
                        }
                    ),
                )
                assert person.id is not None
                case = cases.open_case(
                    uow,
                    officer,
                    OpenCase(
                        person_id=person.id, authority="us-mx-1976", from_state="US", to_state="MX"
                    ),
                )
                assert case.id is not None
                facts = {**FACTS, "request_received_on": today - timedelta(days=20)}
                case_facts.assert_facts(
                    uow, officer, case.id, AssertCaseFacts.model_validate(facts)
                )
                ids.append(case.id)
            uow.commit()
    raw = api_token(container, "us-case-officer")
    container.dispose()
    return ids, raw


async def _connections(port: int, count: int) -> list[Connection]:
    """Open the clients' connections one at a time, each answered once before the next opens.

    Opened in one burst, they all went to whichever worker process woke first (asyncio
    accepts every pending connection at once), and the other worker's core sat idle."""
    opened = []
    for _ in range(count):
        connection = await connect("127.0.0.1", port)
        await connection.send(request("GET", "/api/v1/health", "127.0.0.1", {}))
        opened.append(connection)
        await asyncio.sleep(0.002)
    return opened


async def _drive(
    port: int, clients: int, seconds: float, job: Callable[[Connection], Awaitable[bool | None]]
) -> tuple[list[float], int, float]:
    """Run `job(connection)` from `clients` tasks for `seconds` (or until a job returns None);
    returns the latencies, the errors and the time taken."""
    connections = await _connections(port, clients)
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def worker(connection: Connection) -> None:
        nonlocal errors
        while time.monotonic() < stop:
            began = time.perf_counter()
            ok = await job(connection)
            if ok is None:
                return
            latencies.append(time.perf_counter() - began)
            errors += 0 if ok else 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections))
    elapsed = time.perf_counter() - began
    for connection in connections:
        connection.close()
    return latencies, errors, elapsed


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def _cpu_ticks() -> list[int] | None:
    """The machine's CPU time so far, by kind (Linux's /proc/stat; None elsewhere)."""
    try:
        with open("/proc/stat") as stat:
            return [int(field) for field in stat.readline().split()[1:]]
    except OSError:
        return None


def _steal_pct(before: list[int] | None, after: list[int] | None) -> float | None:
    """The share of CPU time the hypervisor gave to other guests meanwhile (field 8, steal).
    A slow host shows as steal: compare runs by their ratios to `health_rps`, not by rates."""
    if before is None or after is None or len(before) < 8:
        return None
    spent = [later - earlier for earlier, later in zip(before, after, strict=True)]
    return round(100 * spent[7] / max(1, sum(spent)), 1)


def measure(
    port: int, token: str, ids: list[int], clients: int, seconds: float, steps: bool = True
) -> dict[str, Any]:
    """Reads, then (with `steps`) transitions; figures rounded for printing."""
    ticks = _cpu_ticks()
    rng = random.Random(7)
    auth = {"Authorization": f"Bearer {token}"}
    host = "127.0.0.1"
    reads = [request("GET", f"/api/v1/cases/{case_id}", host, auth) for case_id in ids]
    ping = request("GET", "/api/v1/health", host, {})

    async def read(connection: Connection) -> bool:
        status, _ = await connection.send(rng.choice(reads))
        return status == 200

    async def health(connection: Connection) -> bool:
        status, _ = await connection.send(ping)
        return status == 200

    def run(job: Callable[[Connection], Awaitable[bool | None]], span: float) -> Any:
        return asyncio.run(_drive(port, clients, span, job))

    # Warm up (each worker's statement caches, SQLite's page cache), then the baseline, an
    # endpoint that reads no case (what server and load generator can do at all), so that the
    # case reads are also given as a ratio to it; then the case reads.
    run(read, min(3.0, seconds / 2))
    pings, _, ping_s = run(health, seconds / 2)
    health_rps = len(pings) / ping_s
    read_lat, read_errors, read_s = run(read, seconds)
    reads = {
        "health_rps": round(health_rps, 1),
        "read_vs_health": round(len(read_lat) / read_s / health_rps, 3),
        "read_rps": round(len(read_lat) / read_s, 1),
        "read_p50_ms": round(statistics.median(read_lat) * 1000, 2),
        "read_p99_ms": _p(read_lat, 0.99),
        "reads": len(read_lat),
    }
    if not steps:
        return {**reads, "errors": read_errors, "steal_pct": _steal_pct(ticks, _cpu_ticks())}
    queue = [(case_id, command) for case_id in ids for command in ("submit", "screen")]
    queue.reverse()
    pending: dict[int, bool] = {}

    async def transition(connection: Connection) -> bool | None:
        # One case's submit must land before its screen: take the next step whose case is free.
        for index in range(len(queue) - 1, -1, -1):
            case_id, command = queue[index]
            if not pending.get(case_id):
                del queue[index]
                break
        else:
            return None
        pending[case_id] = True
        body = json.dumps({"command": command}).encode()
        path = f"/api/v1/cases/{case_id}/transitions"
        status, _ = await connection.send(request("POST", path, host, auth, body))
        pending[case_id] = False
        return status == 200

    step_lat, step_errors, step_s = run(transition, seconds)
    return {
        **reads,
        "transition_rps": round(len(step_lat) / step_s, 1),
        "transition_p50_ms": round(statistics.median(step_lat) * 1000, 2),
        "transition_p99_ms": _p(step_lat, 0.99),
        "transitions": len(step_lat),
        "errors": read_errors + step_errors,
        "steal_pct": _steal_pct(ticks, _cpu_ticks()),
    }


def _served_and_measured(
    env: dict[str, str], args: argparse.Namespace, workers: int, seeded: tuple[list[int], str]
) -> dict[str, Any]:
    ids, token = seeded
    port = free_port()
    server = serve(env, port, workers=workers)
    try:
        return measure(port, token, ids, args.clients, args.seconds, steps=workers == args.workers)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(
    name: str, env: dict[str, str], args: argparse.Namespace, *, scale_out: bool = False
) -> dict[str, Any]:
    """Seed, then measure with `--workers`; with `scale_out`, case reads with one worker
    first, and the ratio of the two."""
    seeded = seed(env, args.cases)
    one = None
    if scale_out and args.workers > 1:
        one = _served_and_measured(env, args, 1, seeded)
        print(name, "one worker", json.dumps(one), flush=True)
    figures = _served_and_measured(env, args, args.workers, seeded)
    if one is not None:
        figures["one_worker_read_rps"] = one["read_rps"]
        key = (
            "two_workers_read_ratio" if args.workers == 2 else f"{args.workers}_workers_read_ratio"
        )
        figures[key] = round(figures["read_rps"] / one["read_rps"], 2)
    print(name, json.dumps(figures), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cases", type=int, default=6000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    base = {"REPATRIA_ENV": "development"}
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="repatria-bench-") as tmp:
        key = {"REPATRIA_AUDIT_KEY_FILE": str(Path(tmp) / "audit.pem")}
        if args.only in (None, "sqlite"):
            url = f"sqlite:///{tmp}/bench.sqlite3"
            results["sqlite"] = run("sqlite", {**base, **key, "REPATRIA_DATABASE_URL": url}, args)
        if args.only in (None, "postgresql"):
            import pgserver

            server = pgserver.get_server(Path(tmp) / "pg", cleanup_mode="stop")
            try:
                server.psql("CREATE DATABASE bench;")
                uri = server.get_uri("bench").replace("postgresql://", "postgresql+psycopg://")
                env = {**base, **key, "REPATRIA_DATABASE_URL": uri}
                results["postgresql"] = run("postgresql", env, args, scale_out=True)
            finally:
                # Stopped while its directory is still there: stopped only at exit, after
                # the directory was gone, it ran on until it noticed (up to a minute).
                server.cleanup()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
