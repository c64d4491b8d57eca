"""Benchmark: the impact of one law amendment on 100,000 open cases, listed from the database.

    python bench/impact.py [--cases N] [--sample N] [--seed N]

Builds a SQLite database (migrated as an installation's) holding N open US-to-Mexico treaty
cases, each with the document of its latest assessment, with sentences from 1 to 15 years
left and planned departures within the next months; proposes one amendment (the treaty's
minimum time left raised to ten years); then times `services.impact.impact`, which reads
the open cases from the database and screens them, vectorised, under the law with and
without the amendment, today and at each planned departure. The baseline re-assesses a
sample one case at a time with the per-case engine (both laws, both days) in the same run;
`ratio` is its time per case times N over `impact_s`; `impact_cpu_s` is the CPU time the
impact took (all threads). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert

from repatria.adapters.db import tables as t
from repatria.bootstrap import build
from repatria.domain.accounts import Principal
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.services import amendments, clock, impact
from repatria.services.assessments import EXAMPLE
from repatria.settings import Settings

AMENDMENT = """\
amends: us-mx-1976
parameters:
  minimum_months_remaining:
    values:
      - from: 2025-01-01
        value: 120
        citation: {title: "A ten-year minimum (benchmark)"}
        verified: true
        source: bench/impact.py
"""
OPERATOR = Principal.system("bench")


def _documents(count: int, seed: int, today: date) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    years_left = rng.uniform(1, 15, count)
    departures = rng.integers(1, 120, count)
    found = []
    for index in range(count):
        document = copy.deepcopy(EXAMPLE)
        start = today - timedelta(days=730)
        document["as_of"] = today.isoformat()
        document["request_received_on"] = (today - timedelta(days=90)).isoformat()
        document["sentence"]["start_date"] = start.isoformat()
        document["sentence"]["length_days"] = 730 + int(years_left[index] * 365.25)
        departure = datetime.combine(
            today + timedelta(days=int(departures[index])), datetime.min.time()
        )
        document["departure_at"] = departure.replace(tzinfo=UTC).isoformat()
        found.append(document)
    return found


def _load(url: str, documents: list[dict[str, Any]]) -> None:
    container = build(Settings(database_url=url, env="development"))
    container.upgrade()
    now = datetime.now(UTC)
    people, cases, assessed = [], [], []
    for index, document in enumerate(documents, start=1):
        people.append(
            {
                "id": index,
                "family_name": f"Bench {index}",
                "given_names": "P.",
                "held_by_state": "US",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        cases.append(
            {
                "id": index,
                "reference": f"US-MX-BENCH-{index:07d}",
                "person_id": index,
                "authority": "us-mx-1976",
                "from_state": "US",
                "to_state": "MX",
                "state": "sending_review",
                "opened_at": now,
                "updated_at": now,
                "departure_at": datetime.fromisoformat(document["departure_at"]),
                "facts": {},
                "version": 1,
            }
        )
        assessed.append(
            {
                "case_id": index,
                "requested_at": now,
                "authority": "us-mx-1976",
                "from_state": "US",
                "to_state": "MX",
                "as_of": date.fromisoformat(document["as_of"]),
                "allowed": True,
                "document": document,
                "verdict": {},
                "engine_version": "bench",
                "law_digest": "bench",
                "states": ["MX", "US"],
            }
        )
    with container.engine.begin() as connection:
        connection.execute(insert(t.people), people)
        connection.execute(insert(t.cases), cases)
        connection.execute(insert(t.assessments), assessed)
        connection.execute(
            insert(t.law_amendments),
            [
                {
                    "id": 1,
                    "state": "US",
                    "title": "Ten years",
                    "file_name": "ten-years.yaml",
                    "folder": "authorities",
                    "target": "us-mx-1976",
                    "text": AMENDMENT,
                    "adds": "amends us-mx-1976: 1 dated value",
                    "reason": "",
                    "status": "proposed",
                    "proposed_at": now,
                    "decision_reason": "",
                    "version": 1,
                }
            ],
        )
    container.dispose()


def _per_case(documents: list[dict[str, Any]], without: Any, with_it: Any, today: date) -> int:
    """Re-assess each document one by one: both laws, today and at departure."""
    changed = 0
    for document in documents:
        for day in (today, date.fromisoformat(document["departure_at"][:10])):
            parsed = parse_document({**document, "as_of": day.isoformat()})
            before, after = assess(parsed, None, without), assess(parsed, None, with_it)
            changed += before.to_json()["allowed"] != after.to_json()["allowed"]
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    today = clock.today()
    documents = _documents(args.cases, args.seed, today)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        started = time.perf_counter()
        _load(url, documents)
        print(f"{args.cases:,} open cases stored in {time.perf_counter() - started:.1f} s")
        container = build(Settings(database_url=url, env="development"))
        with container.uow(read_only=True) as uow:
            amendment = amendments.get_or_raise(uow, OPERATOR, 1)
            impact.laws(uow, amendment)  # read the two laws once, outside the timing
            started, cpu_started = time.perf_counter(), time.process_time()
            changes = impact.impact(uow, OPERATOR, amendment, on=today)
            impact_s = time.perf_counter() - started
            impact_cpu_s = time.process_time() - cpu_started
            load_average = os.getloadavg()[0]  # over the last minute: the other work running
            without, with_it = impact.laws(uow, amendment)
        container.dispose()
    affected = len({change.case_id for change in changes})
    print(f"impact: {len(changes):,} changes on {affected:,} cases in {impact_s:.2f} s")
    sample = documents[: args.sample]
    started = time.perf_counter()
    _per_case(sample, without, with_it, today)
    per_case_s = (time.perf_counter() - started) / len(sample)
    print(f"per case, one by one: {per_case_s * 1000:.2f} ms a case ({len(sample):,} cases)")
    figures = {
        "cases": args.cases,
        "impact_s": round(impact_s, 3),
        # CPU seconds of this process (every thread) for the same work: on a machine shared
        # with other work, steadier than the wall-clock figure.
        "impact_cpu_s": round(impact_cpu_s, 3),
        "affected": affected,
        "changes": len(changes),
        "per_case_ms": round(per_case_s * 1000, 3),
        "ratio": round(per_case_s * args.cases / impact_s, 1),
        "sample": len(sample),
        "load_average": round(load_average, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
