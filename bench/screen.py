"""Benchmark: screen 1,000,000 synthetic documents against every authority, vectorised, and
compare with the per-case engine on a sample; then `repatria screen` end to end on a
1,000,000-line JSON Lines file.

    python bench/screen.py [--rows N] [--sample N] [--seed N] [--skip-cli] [--keep DIR]

The documents mix transfers and removals between the states the law data names, with about
one value in ten unknown, dates around the entry-into-force and six-month thresholds, and
holds, notices and protection orders where removals need them. Each is screened with no
authority given, i.e. against every authority in force between `from` and each of its
states of nationality (`repatria screen --authority all`). The per-case baseline does the
same for a sample: `authorities_in_force`, then `parse_document` and `assess` per verdict.
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from repatria.law.catalog import authorities_in_force, load_catalog
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.screening import screen
from repatria.screening.fields import COUNTRY, DEPARTURE_DAY, ENUMS, FIELDS, GROUPS, typed_schema

SENDERS = ("US", "US", "US", "US", "US", "MX", "SV", "CA", "FR", "DE", "ES", "GB", "NL", "PL")
NATIONS = ("MX", "MX", "MX", "SV", "GT", "HN", "VE", "CO", "US", "CA", "FR", "DE", "ES", "PL", "NL")
AS_OF = date(2025, 4, 11)
EPOCH = date(1970, 1, 1)


def _days(day: date) -> int:
    return (day - EPOCH).days


def _pick(rng: np.random.Generator, values: tuple[Any, ...], n: int) -> pl.Series:
    return pl.Series(list(values)).gather(rng.integers(0, len(values), n))


def _unknown(rng: np.random.Generator, n: int, share: float = 0.1) -> np.ndarray:
    return rng.random(n) < share


def _bools(rng: np.random.Generator, n: int, true: float = 0.5, unknown: float = 0.1) -> pl.Series:
    values = pl.Series(rng.random(n) < true)
    return values.scatter(np.flatnonzero(_unknown(rng, n, unknown)), None)


def _codes(values: Any) -> pl.Series:
    return values if isinstance(values, pl.Series) else pl.Series(values.tolist(), dtype=pl.String)


def _dates(days: np.ndarray, missing: np.ndarray) -> pl.Series:
    series = pl.Series(days.astype(np.int32)).cast(pl.Date)
    return series.scatter(np.flatnonzero(missing), None)


def synthetic_roster(rows: int, seed: int) -> pl.DataFrame:
    """A typed roster of `rows` synthetic documents (no authority: screen against all)."""
    rng = np.random.default_rng(seed)
    n = rows
    as_of = _days(AS_OF) + np.where(rng.random(n) < 0.7, 0, rng.integers(-900, 400, n))
    received = as_of - rng.integers(0, 400, n)
    first = _pick(rng, NATIONS, n)
    second = _pick(rng, NATIONS, n)
    count = rng.choice([0, 1, 1, 1, 1, 1, 1, 1, 2, 2], n)
    one, two = pl.lit(_codes(first)).cast(COUNTRY), pl.lit(_codes(second)).cast(COUNTRY)
    citizenships = (
        pl.when(pl.lit(count) == 0)
        .then(pl.when(pl.lit(rng.random(n) < 0.5)).then(pl.lit([], pl.List(COUNTRY))))
        .when((pl.lit(count) == 1) | (one == two))
        .then(pl.concat_list(one))
        .otherwise(pl.concat_list(one, two))
    )
    # Release falls around reference + 6 months, so the minimum-time-left rule is in play.
    release = received + 183 + rng.integers(-40, 3000, n)
    start = received - rng.integers(0, 4000, n)
    credit = rng.integers(0, 120, n)
    length = np.maximum(1, release - start + credit)
    removal = rng.random(n) < 0.4
    served = (as_of - rng.integers(0, 30, n)).astype(np.int64) * 86_400_000_000
    served += rng.integers(0, 86_400, n) * 1_000_000
    departure = served + rng.choice([20, 24, 30, 200, 504, 600], n) * 3_600_000_000
    columns: dict[str, Any] = {
        "row": np.arange(n),
        "authority": pl.Series([None] * n, dtype=pl.String),
        "from": _pick(rng, SENDERS, n),
        "to": first,
        "as_of": _dates(as_of, np.zeros(n, bool)),
        "request_received_on": _dates(received, _unknown(rng, n, 0.3)),
        "person.birth_date": _dates(as_of - rng.integers(13 * 365, 70 * 365, n), _unknown(rng, n)),
        "person.competent": _bools(rng, n, 0.95),
        "person.years_in_sending_state": pl.Series(rng.integers(0, 240, n) / 12.0).scatter(
            np.flatnonzero(_unknown(rng, n)), None
        ),
        "person.intends_to_remain": _bools(rng, n, 0.2),
        "person.residence_country": first.clone().scatter(
            np.flatnonzero(_unknown(rng, n, 0.6)), None
        ),
        "person.fled_to_state_of_nationality": _bools(rng, n, 0.05, 0.6),
        "person.expulsion_order": _bools(rng, n, 0.2, 0.5),
        "person.deportation_country": first.clone().scatter(
            np.flatnonzero(_unknown(rng, n, 0.7)), None
        ),
        "person.lawful_permanent_resident": _bools(rng, n, 0.1, 0.5),
        "sentence.offense_category": _pick(rng, ENUMS["sentence.offense_category"], n),
        "sentence.dual_criminality": _bools(rng, n, 0.95),
        "sentence.start_date": _dates(start, _unknown(rng, n, 0.05)),
        "sentence.length_days": pl.Series(length).scatter(
            np.flatnonzero(_unknown(rng, n, 0.05)), None
        ),
        "sentence.credit_days": pl.Series(credit).scatter(
            np.flatnonzero(_unknown(rng, n, 0.2)), None
        ),
        "sentence.indeterminate": _bools(rng, n, 0.03, 0.2),
        "sentence.death_sentence": _bools(rng, n, 0.01),
        "sentence.final": _bools(rng, n, 0.95),
        "sentence.appeal_pending": _bools(rng, n, 0.05),
        "sentence.collateral_attack_pending": _bools(rng, n, 0.05),
        "sentence.other_charges_pending": _bools(rng, n, 0.05),
        "sentence.state_prisoner": _bools(rng, n, 0.2),
        "consent.given_by": _pick(rng, ("person",) * 8 + ("parent", "court"), n),
        "consent.verified_on": _dates(as_of - rng.integers(-2, 60, n), _unknown(rng, n, 0.15)),
        "consent.verified_by": _pick(rng, ENUMS["consent.verified_by"], n),
        "consent.opinion_recorded": _bools(rng, n, 0.8),
        "approvals.sending_state": _dates(as_of - rng.integers(-2, 90, n), _unknown(rng, n, 0.2)),
        "approvals.receiving_state": _dates(as_of - rng.integers(-2, 60, n), _unknown(rng, n, 0.2)),
        "approvals.us_state": _dates(as_of - rng.integers(-2, 60, n), _unknown(rng, n, 0.7)),
        "removal_order.final": _bools(rng, n, 0.9).scatter(np.flatnonzero(~removal), None),
        "notice.served_at": pl.Series(np.where(removal, served, 0)).cast(pl.Datetime("us", "UTC")),
        "notice.explains_how_to_contest": _bools(rng, n, 0.8),
        "notice.language_understood": _bools(rng, n, 0.9),
        "notice.country": first.clone().scatter(np.flatnonzero(rng.random(n) >= 0.3), None),
        "fear_claim.raised": _bools(rng, n, 0.2, 0.3),
        "fear_claim.outcome": _pick(rng, (None, *ENUMS["fear_claim.outcome"]), n),
        "departure_at": pl.Series(departure).cast(pl.Datetime("us", "UTC")),
        "removal_authority": pl.Series([None] * n, dtype=pl.String),
    }
    frame = pl.DataFrame(columns).with_columns(
        citizenships.alias("person.citizenships"),
        pl.when(pl.lit(removal))
        .then(pl.concat_list(one))
        .alias("removal_order.designated_countries"),
        pl.when(pl.Series(removal)).then(pl.col("notice.served_at")).alias("notice.served_at"),
        pl.when(pl.Series(removal)).then(pl.col("departure_at")).alias("departure_at"),
    )
    frame = frame.with_columns(pl.col("departure_at").dt.date().alias(DEPARTURE_DAY))
    hold_issued = _dates(as_of - rng.integers(-5, 60, n), _unknown(rng, n, 0.2))
    hold_lifted = _dates(as_of - rng.integers(-30, 30, n), _unknown(rng, n, 0.5))
    order_issued = _dates(as_of - rng.integers(0, 3000, n), _unknown(rng, n, 0.1))
    has_hold, has_order = rng.random(n), rng.random(n) < 0.1
    frame = frame.with_columns(
        pl.when(pl.Series(has_hold < 0.5))
        .then(
            pl.lit(
                [],
                pl.List(pl.Struct({"kind": pl.String, "issued_on": pl.Date, "lifted_on": pl.Date})),
            )
        )
        .when(pl.Series(has_hold < 0.7))
        .then(
            pl.concat_list(
                pl.struct(
                    pl.lit("tro").alias("kind"),
                    pl.lit(hold_issued).alias("issued_on"),
                    pl.when(pl.lit(hold_lifted) >= pl.lit(hold_issued))
                    .then(pl.lit(hold_lifted))
                    .alias("lifted_on"),
                )
            )
        )
        .alias("holds"),
        pl.when(pl.Series(has_order))
        .then(
            pl.concat_list(
                pl.struct(
                    pl.lit("withholding").alias("kind"),
                    two.alias("country"),
                    pl.lit(order_issued).alias("issued_on"),
                    pl.lit(None, pl.Date).alias("terminated_on"),
                )
            )
        )
        .alias("protection_orders"),
    )
    # Fields this generator does not draw (exceptions, membership findings, ...) stay unknown.
    return frame.select(
        pl.col("row"),
        *(
            pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
            for name, dtype in typed_schema().items()
        ),
    )


def _as_json_value(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if dtype == pl.Date:
        return column.dt.to_string("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return column.dt.to_string("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct):
        members = [
            pl.element().struct.field(f.name).cast(pl.String).alias(f.name)
            for f in dtype.inner.fields
        ]
        return column.list.eval(pl.struct(members))
    if isinstance(dtype, pl.Enum):
        return column.cast(pl.String)
    if isinstance(dtype, pl.List):
        return column.cast(pl.List(pl.String))
    return column


def write_jsonl(roster: pl.DataFrame, path: Path) -> None:
    """The roster as JSON Lines documents (a part whose facts are all unknown is left out)."""
    values = roster.select(
        _as_json_value(name, dtype).alias(name)
        for name, dtype in roster.schema.items()
        if name in FIELDS or name in GROUPS
    )
    parts: dict[str, list[str]] = {}
    for name in FIELDS:
        head, _, member = name.partition(".")
        parts.setdefault(head, []).append(name) if member else None
    columns = [pl.col(n) for n in ("authority", "from", "to", "as_of", "request_received_on")]
    for head, members in parts.items():
        struct = pl.struct(pl.col(m).alias(m.split(".", 1)[1]) for m in members)
        known = pl.any_horizontal(pl.col(m).is_not_null() for m in members)
        columns.append(pl.when(known).then(struct).alias(head))
    columns += [pl.col(n) for n in ("departure_at", "removal_authority", *GROUPS)]
    values.select(columns).drop("authority", "removal_authority").write_ndjson(path)


Verdict = tuple[int, str | None, str | None, bool, str]


def per_case(documents: list[dict[str, Any]]) -> list[Verdict]:
    """The per-case engine on each document, as `repatria screen --authority all` would call it."""
    found: list[Verdict] = []
    for row, raw in enumerate(documents):
        citizenships = (raw.get("person") or {}).get("citizenships") or []
        destinations = [state for state in dict.fromkeys(citizenships) if state != raw["from"]]
        if not destinations:
            found.append((row, None, None, False, "NATIONALITY"))
        for to_state in destinations:
            ids = authorities_in_force(raw["from"], to_state, date.fromisoformat(raw["as_of"]))
            if not ids:
                found.append((row, None, to_state, False, "AUTHORITY"))
            for authority in ids:
                verdict = assess(parse_document({**raw, "authority": authority, "to": to_state}))
                found.append((row, authority, to_state, verdict.allowed, ";".join(verdict.grounds)))
    return found


def _sample_documents(roster: pl.DataFrame, positions: np.ndarray, folder: Path) -> list[Any]:
    path = folder / "sample.jsonl"
    write_jsonl(roster[positions], path)
    return [json.loads(line) for line in path.read_text().splitlines()]


def _screened_sample(results: pl.DataFrame, positions: np.ndarray) -> list[Verdict]:
    """The screening results of the sampled rows, renumbered 0, 1, ... as in the sample."""
    numbering = pl.DataFrame({"row": positions.astype(np.int64), "_n": np.arange(len(positions))})
    chosen = results.join(numbering, on="row").sort("_n", maintain_order=True)
    return [
        (n, authority, to, allowed, str(grounds))
        for n, authority, to, allowed, grounds in chosen.select(
            "_n", "authority", "to", "allowed", pl.col("grounds").cast(pl.String)
        ).iter_rows()
    ]


def _cli(roster: pl.DataFrame, folder: Path) -> float:
    source, out = folder / "roster.jsonl", folder / "results.parquet"
    write_jsonl(roster, source)
    command = [str(Path(sys.executable).parent / "repatria"), "screen", str(source)]
    started = time.perf_counter()
    subprocess.run([*command, "--out", str(out), "--authority", "all"], check=True)
    seconds = time.perf_counter() - started
    if pl.scan_parquet(out).select(pl.len()).collect().item() == 0:
        raise SystemExit("repatria screen wrote no results")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--sample", type=int, default=2_000, help="documents for the per-case engine"
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--skip-cli", action="store_true", help="skip the end-to-end CLI run")
    parser.add_argument("--keep", type=Path, help="write the roster and results here")
    args = parser.parse_args()

    roster = synthetic_roster(args.rows, args.seed)
    load_catalog()  # read the law once, outside every timing
    screen(roster.head(100))  # and warm Polars up, as a long-running screening would be
    started = time.perf_counter()
    results = screen(roster)
    screen_s = time.perf_counter() - started
    print(f"screened {args.rows:,} rows in {screen_s:.2f} s: {results.height:,} verdicts")

    rng = np.random.default_rng(args.seed + 1)
    positions = np.sort(rng.choice(args.rows, min(args.sample, args.rows), replace=False))
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        documents = _sample_documents(roster, positions, folder)
        started = time.perf_counter()
        expected = per_case(documents)
        per_case_s = time.perf_counter() - started
        mismatches = sum(
            a != b for a, b in zip(_screened_sample(results, positions), expected, strict=False)
        ) + abs(len(_screened_sample(results, positions)) - len(expected))
        print(f"per-case engine: {len(documents):,} documents in {per_case_s:.2f} s")
        cli_s = None if args.skip_cli else _cli(roster, folder)
        if cli_s is not None:
            print(f"repatria screen, JSON Lines to Parquet, end to end: {cli_s:.2f} s")

    screen_rate = args.rows / screen_s
    per_case_rate = len(documents) / per_case_s
    figures = {
        "rows": args.rows,
        "verdicts": results.height,
        "screen_s": round(screen_s, 3),
        "screen_rows_per_s": round(screen_rate),
        "per_case_rows_per_s": round(per_case_rate),
        "ratio": round(screen_rate / per_case_rate, 1),
        "sample": len(documents),
        "sample_mismatches": mismatches,
        "cli_s": None if cli_s is None else round(cli_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "cli_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    print(json.dumps(figures))
    if mismatches:
        raise SystemExit(f"{mismatches} verdict(s) differ from the per-case engine")


if __name__ == "__main__":
    main()
