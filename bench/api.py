"""Benchmark: the API under 32 concurrent clients, on SQLite and then on PostgreSQL.

    python bench/api.py [--seconds 8] [--clients 32] [--workers 2] [--only sqlite|postgresql]

For each database: migrate, load the demo data, seed draft treaty cases, start `repatria serve`
on a free loopback port as its own process, then drive it from this process with concurrent
HTTP clients for a bounded time: first the baseline, GET /api/v1/health (no case read), then
case reads (GET /api/v1/cases/{id}, also given as a ratio to the baseline), then transitions
(submit, then screen: each one re-assessed by the legal engine and recorded as an event).
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from repatria.adapters.db import migrate
from repatria.adapters.db import tables as t
from repatria.bootstrap import build
from repatria.domain.accounts import CredentialKind, Principal, User
from repatria.services import accounts, cases, demo, people, workflow
from repatria.services.commands import AssertCaseFacts, OpenCase, RecordPerson
from repatria.settings import Settings

FACTS = {
    "person_competent": True,
    "person_years_in_sending_state": 3,
    "person_intends_to_remain": False,
    "sentence_dual_criminality": True,
    "sentence_other_charges_pending": False,
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(env: dict[str, str], count: int) -> tuple[list[int], str]:
    """Migrate, load the demo data, open `count` draft cases; returns their ids and a token."""
    os.environ.update(env)
    container = build(Settings())
    migrate.upgrade(container.engine)
    with container.uow() as uow:
        demo.load(uow)
        uow.commit()
    today = date.today()
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
                workflow.assert_facts(uow, officer, case.id, AssertCaseFacts.model_validate(facts))
                ids.append(case.id)
            uow.commit()
    with container.uow() as uow:
        user = uow.session.scalar(wanted)
        assert user is not None
        _, raw = accounts.issue_credential(
            uow, Principal.system("bench"), user, CredentialKind.API, "bench", timedelta(1)
        )
        uow.commit()
    container.engine.dispose()
    return ids, raw


def _serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).parent / "repatria"), "serve"]
    args = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(
        [*command, *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


async def _drive(
    url: str, token: str, clients: int, seconds: float, job: Any
) -> tuple[int, list[float], int]:
    """Run `job(client)` from `clients` tasks for `seconds`; returns count, latencies, errors."""
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as http:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                began = time.perf_counter()
                ok = await job(http)
                if ok is None:
                    return
                latencies.append(time.perf_counter() - began)
                errors += 0 if ok else 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return len(latencies), latencies, errors


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def measure(url: str, token: str, ids: list[int], clients: int, seconds: float) -> dict[str, Any]:
    """Reads, then transitions; figures rounded for printing."""
    rng = random.Random(7)

    async def read(http: httpx.AsyncClient) -> bool:
        response = await http.get(f"/api/v1/cases/{rng.choice(ids)}")
        return response.status_code == 200

    async def health(http: httpx.AsyncClient) -> bool:
        response = await http.get("/api/v1/health")
        return response.status_code == 200

    # Baseline, same server, same clients: an endpoint that reads no case (what the server and
    # this load generator can do at all), so the case reads are also given as a ratio to it.
    began = time.perf_counter()
    pings, _, _ = asyncio.run(_drive(url, token, clients, seconds / 2, health))
    health_rps = pings / (time.perf_counter() - began)
    began = time.perf_counter()
    reads, read_lat, read_errors = asyncio.run(_drive(url, token, clients, seconds, read))
    read_s = time.perf_counter() - began
    queue = [(case_id, command) for case_id in ids for command in ("submit", "screen")]
    queue.reverse()
    pending: dict[int, bool] = {}

    async def transition(http: httpx.AsyncClient) -> bool | None:
        # One case's submit must land before its screen: take the next step whose case is free.
        for index in range(len(queue) - 1, -1, -1):
            case_id, command = queue[index]
            if not pending.get(case_id):
                del queue[index]
                break
        else:
            return None
        pending[case_id] = True
        response = await http.post(
            f"/api/v1/cases/{case_id}/transitions", json={"command": command}
        )
        pending[case_id] = False
        return response.status_code == 200

    began = time.perf_counter()
    steps, step_lat, step_errors = asyncio.run(_drive(url, token, clients, seconds, transition))
    step_s = time.perf_counter() - began
    return {
        "health_rps": round(health_rps, 1),
        "read_vs_health": round(reads / read_s / health_rps, 3),
        "read_rps": round(reads / read_s, 1),
        "read_p50_ms": round(statistics.median(read_lat) * 1000, 2),
        "read_p99_ms": _p(read_lat, 0.99),
        "transition_rps": round(steps / step_s, 1),
        "transition_p50_ms": round(statistics.median(step_lat) * 1000, 2),
        "transition_p99_ms": _p(step_lat, 0.99),
        "reads": reads,
        "transitions": steps,
        "errors": read_errors + step_errors,
    }


def run(name: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    ids, token = seed(env, args.cases)
    port = _free_port()
    server = _serve(env, port, args.workers)
    try:
        figures = measure(f"http://127.0.0.1:{port}", token, ids, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
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
            server.psql("CREATE DATABASE bench;")
            uri = server.get_uri("bench").replace("postgresql://", "postgresql+psycopg://")
            env = {**base, **key, "REPATRIA_DATABASE_URL": uri}
            results["postgresql"] = run("postgresql", env, args)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
