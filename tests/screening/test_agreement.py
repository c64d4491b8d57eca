"""`screen` and `assess` agree, document by document, on random rosters (property tests)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.screening import screen, screen_outcomes
from repatria.screening.documents import frame_from_documents
from repatria.screening.roster import Fill, read_roster
from tests.screening.documents import csv_cells, documents, near_favourable
from tests.screening.expected import expected_rows

pytestmark = pytest.mark.slow
ROSTERS = st.lists(st.one_of(documents(), near_favourable()), min_size=1, max_size=20)
# An example screens a whole roster against every authority, most of a second of fixed cost
# whatever the roster's size: 40 rosters of up to 20 documents a run (the profile's 100 x 2/5),
# new ones each run; HYPOTHESIS_PROFILE=thorough tries 400.
PROPERTY = settings(
    max_examples=settings.default.max_examples * 2 // 5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _screened(path: Path) -> list[tuple[Any, ...]]:
    results = screen(read_roster(path, Fill(authority="all")))
    return [tuple(row) for row in results.iter_rows()]


@PROPERTY
@given(ROSTERS)
def test_screening_a_json_lines_roster_agrees_with_assess(roster: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.jsonl"
        path.write_text("".join(json.dumps(document) + "\n" for document in roster))
        assert _screened(path) == expected_rows(roster)


def _csv_safe(document: dict[str, Any]) -> bool:
    # In CSV an entry of a list of objects needs at least one known member to be seen at all.
    return all(entry for entry in document.get("holds") or [])


@PROPERTY
@given(ROSTERS.filter(lambda roster: all(_csv_safe(d) for d in roster)), st.booleans())
def test_screening_a_csv_or_parquet_roster_agrees_with_assess(
    roster: list[dict[str, Any]], parquet: bool
) -> None:
    cells = pl.DataFrame(
        [csv_cells(document) for document in roster],
        schema={name: pl.String for name in csv_cells(roster[0])},
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("roster.parquet" if parquet else "roster.csv")
        if parquet:
            cells.write_parquet(path)
        else:
            cells.write_csv(path)
        assert _screened(path) == expected_rows(roster)


@PROPERTY
@given(
    st.lists(
        st.one_of(documents(), near_favourable()).filter(lambda d: "authority" in d),
        min_size=1,
        max_size=20,
    )
)
def test_every_rule_has_the_outcome_the_per_case_engine_gives(roster: list[dict[str, Any]]) -> None:
    parsed = [parse_document(document) for document in roster]
    outcomes = screen_outcomes(frame_from_documents(parsed))
    for document, found in zip(parsed, outcomes, strict=True):
        checks = sorted((check.rule, check.outcome) for check in assess(document).checks)
        assert sorted(found) == checks
