"""Benchmark: 1,000 transfer requests between two installations on this machine.

    python bench/exchange.py [--requests 1000] [--clients 8]

Two installations as peers (services/exchange/demo.py), the US and Mexico, each a SQLite file
with the demo data, each served by `repatria serve` in its own process on a free loopback
port, each delivering its outbox from the server's background thread. The US approves
`--requests` cases at its review over the API from `--clients` concurrent clients: each step
writes its transfer request to the outbox in the step's transaction, and the worker posts it
to Mexico's inbox, where it opens a case. Measured in the same run, as the baseline: as many
local transitions (the screening step, which sends nothing) from the same clients.

The last line printed is one JSON object: `delivered` (outbox rows delivered), `duplicated`
(cases opened in Mexico more than once: must be 0), `lost` (approved but never opened in
Mexico: must be 0), `throughput_per_s` (requests from the first step to the last arrival),
`p50_ms`/`p99_ms` from each step's answer to its case opening in Mexico (one clock), the local
transitions' rate and `ratio_to_local` (the exchange's throughput as a share of it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import build
from repatria.domain.accounts import User
from repatria.services import accounts, case_facts, cases, clock, demo, people, transitions
from repatria.services.case_facts import AssertCaseFacts
from repatria.services.commands import OpenCase, RecordPerson
from repatria.services.exchange.demo import Instance, make_keys, pair, sign_checkpoint
from serving import api_token, free_port, serve

FACTS = {
    "person_competent": True,
    "person_years_in_sending_state": 3,
    "person_intends_to_remain": False,
    "sentence_dual_criminality": True,
    "sentence_other_charges_pending": False,
}
SERVER_ENV = {
    "REPATRIA_ENV": "development",
    "REPATRIA_PASSWORD_HASH_TIME_COST": "1",
    "REPATRIA_PASSWORD_HASH_MEMORY_KIB": "64",
    "REPATRIA_EXCHANGE_INTERVAL_SECONDS": "0.2",
}


def token(instance: Instance, username: str) -> str:
    container = build(instance.settings())
    raw = api_token(container, username)
    container.dispose()
    return raw


def start(instance: Instance) -> subprocess.Popen[bytes]:
    env = {**SERVER_ENV, **instance.environment()}
    return serve(env, instance.port, name=f"{instance.state} server")


def prepare(instance: Instance) -> None:
    container = build(instance.settings())
    container.upgrade()
    with container.uow() as uow:
        demo.load(uow)
        uow.commit()
    container.dispose()
    make_keys(instance)


def seed(instance: Instance, count: int, steps: tuple[str, ...]) -> list[int]:
    """`count` US → Mexico cases taken through `steps` in this process (nothing is sent)."""
    container = build(instance.settings())
    today = clock.today()
    with container.uow() as uow:
        user = uow.session.scalar(select(User).where(t.users.c.username == "us-case-officer"))
        assert user is not None
        officer = accounts.principal_of(user)
    ids: list[int] = []
    for start in range(0, count, 200):
        with container.uow() as uow:
            for n in range(start, min(count, start + 200)):
                person = people.record(uow, officer, RecordPerson.model_validate(_person(n)))
                assert person.id is not None
                opened = OpenCase(
                    person_id=person.id, authority="us-mx-1976", from_state="US", to_state="MX"
                )
                case = cases.open_case(uow, officer, opened)
                assert case.id is not None
                facts = {**FACTS, "request_received_on": today - timedelta(days=20)}
                case_facts.assert_facts(uow, officer, case.id, AssertCaseFacts(**facts))
                for command in steps:
                    transitions.take(uow, officer, case.id, transitions.Step(command, today))
                ids.append(case.id)
            uow.commit()
    container.dispose()
    return ids


def _person(n: int) -> dict[str, Any]:
    start = clock.today() - timedelta(days=400)
    return {
        "family_name": f"Intercambio {n}",
        "given_names": "Prueba",
        "birth_date": "1980-01-01",
        "held_by_state": "US",
        "citizenships": [{"country": "MX"}],
        "sentences": [
            {
                "offense": "Importation of a controlled substance",
                "offense_category": "drug_trafficking",
                "jurisdiction": "US",
                "start_date": start.isoformat(),
                "length_days": 3000,
            }
        ],
    }


def steps(
    base_url: str, raw: str, ids: list[int], command: str, clients: int
) -> dict[int, datetime]:
    """Take the step on every case from concurrent clients; when each answer came."""
    headers = {"Authorization": f"Bearer {raw}"}
    answered: dict[int, datetime] = {}

    def take(chunk: list[int]) -> None:
        with httpx.Client(base_url=f"{base_url}/api/v1", headers=headers, timeout=60) as api:
            for case_id in chunk:
                answer = api.post(f"/cases/{case_id}/transitions", json={"command": command})
                if answer.status_code != 200:
                    raise SystemExit(f"{command} of case {case_id}: {answer.text}")
                answered[case_id] = datetime.now(UTC)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(take, [ids[i::clients] for i in range(clients)]))
    return answered


def arrivals(mx: Instance) -> dict[str, list[datetime]]:
    """Each reference opened in Mexico from a US request, with when (once, normally)."""
    container = build(mx.settings())
    with container.uow(read_only=True) as uow:
        rows = uow.session.execute(
            select(t.cases.c.reference, t.events.c.recorded_at)
            .join(t.cases, t.cases.c.id == func.cast(t.events.c.subject_id, t.cases.c.id.type))
            .where(t.events.c.command == "CaseReceivedFromPeer")
        ).all()
    container.dispose()
    found: dict[str, list[datetime]] = {}
    for reference, recorded_at in rows:
        found.setdefault(reference, []).append(recorded_at)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="repatria-bench-exchange-") as tmp:
        us, mx = (
            Instance(state, f"sqlite:///{tmp}/{state}.sqlite3", Path(tmp) / state, free_port())
            for state in ("US", "MX")
        )
        for instance in (us, mx):
            prepare(instance)
        pair(us, mx, build)
        for instance in (us, mx):
            sign_checkpoint(instance, build)
        exchanged = seed(us, args.requests, ("submit", "screen"))
        local = seed(us, args.requests, ("submit",))
        container = build(us.settings())
        with container.uow(read_only=True) as uow:
            references = dict(
                uow.session.execute(
                    select(t.cases.c.id, t.cases.c.reference).where(t.cases.c.id.in_(exchanged))
                ).all()
            )
        container.dispose()
        reviewer, officer = token(us, "us-reviewer"), token(us, "us-case-officer")
        servers = [start(us), start(mx)]
        try:
            began = time.monotonic()
            steps(us.base_url, officer, local, "screen", args.clients)
            local_rate = len(local) / (time.monotonic() - began)
            started = datetime.now(UTC)
            answered = steps(us.base_url, reviewer, exchanged, "approve_sending", args.clients)
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                arrived = arrivals(mx)
                if len(arrived) >= len(exchanged):
                    break
                time.sleep(1)
        finally:
            for process in servers:
                process.terminate()
                process.wait(timeout=30)
        container = build(us.settings())
        with container.uow(read_only=True) as uow:
            delivered = uow.session.scalar(
                select(func.count()).where(t.exchange_outbox.c.delivered_at.is_not(None))
            )
        container.dispose()
    wanted = set(references.values())
    latencies = sorted(
        (arrived[references[case_id]][0] - answered[case_id]).total_seconds() * 1000
        for case_id in exchanged
        if references[case_id] in arrived
    )
    last = max((times[0] for ref, times in arrived.items() if ref in wanted), default=started)
    throughput = len(latencies) / max((last - started).total_seconds(), 1e-9)
    figures = {
        "requests": len(exchanged),
        "delivered": delivered,
        "duplicated": sum(len(times) - 1 for times in arrived.values()),
        "lost": len(wanted - set(arrived)),
        "throughput_per_s": round(throughput, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1) if latencies else None,
        "local_transitions_per_s": round(local_rate, 1),
        "ratio_to_local": round(throughput / local_rate, 2),
        "clients": args.clients,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
