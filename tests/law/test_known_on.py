"""The law as known on a day: an entry learned after the day it applies in law (`known_from`)
is left out of the law as known before it; answers as of the same day differ by what was
known, and the digest says which law answered."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from repatria.law.catalog import DATA_DIR, load_catalog, load_catalog_from
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.law.errors import LawDataError
from repatria.law.held import AmendmentText
from repatria.law.values import value_on

EXAMPLE = Path(__file__).parent / "example.json"
# Colombia bound from 1 January 2025, which this installation learned on 1 June 2025.
LEARNED_LATE = """\
amends: coe-ets-112
parties:
  - state: CO
    from: 2025-01-01
    known_from: 2025-06-01
    verified: true
    source: written for this test
    citation: {title: "Ley 2999 de 2024", article: "Art. 1"}
"""


def _to_colombia(as_of: str) -> Any:
    document: dict[str, Any] = json.loads(EXAMPLE.read_text())
    document.update(authority="coe-ets-112", to="CO", as_of=as_of)
    document["person"] = {**document["person"], "citizenships": ["CO"]}
    return parse_document(document)


def _in_force(known_on: str | None, local: Path | None = None) -> dict[str, Any]:
    amendment = AmendmentText(1, "authorities", "coe-ets-112", LEARNED_LATE, "late.yaml")
    day = None if known_on is None else date.fromisoformat(known_on)
    catalog = load_catalog_from(DATA_DIR, local, [amendment], day)
    verdict = assess(_to_colombia("2025-03-01"), None, catalog).to_json()
    check = next(c for c in verdict["checks"] if c["rule"] == "coe-ets-112/in-force")
    return {"outcome": check["outcome"], "digest": catalog.digest}


def test_an_entry_learned_later_is_left_out_of_the_law_known_before() -> None:
    before, after, now = _in_force("2025-05-31"), _in_force("2025-06-01"), _in_force(None)
    assert before["outcome"] == "fail"  # as of 1 March, by what was known on 31 May
    assert after["outcome"] == now["outcome"] == "pass"  # the same day, known from 1 June
    assert before["digest"] != after["digest"] == now["digest"]


def test_the_law_known_before_any_later_entry_has_the_shipped_digest() -> None:
    shipped = load_catalog_from(DATA_DIR)
    assert _in_force("2025-05-31")["digest"] == shipped.digest


def test_an_amendment_that_took_effect_later_is_left_out_whole() -> None:
    amendment = AmendmentText(
        1, "authorities", "coe-ets-112", LEARNED_LATE.replace("    known_from: 2025-06-01\n", ""),
        "late.yaml", known_from=date(2025, 6, 1),
    )  # fmt: skip
    day = date(2025, 5, 31)
    catalog = load_catalog_from(DATA_DIR, None, [amendment], day)
    assert "CO" not in {party.state for party in catalog.authorities["coe-ets-112"].parties}


def _shipped_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped law in a folder of its own, with one entry of the third-country removal
    file changed."""
    base = tmp_path / "law"
    shutil.copytree(DATA_DIR, base)
    path = base / "authorities" / "us-third-country-removal.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return base


FIRST_HOURS = "      - from: 1997-04-01\n        value: 24\n"
COURT_HOURS = "      - from: 2025-05-21\n        value: 240\n"


def test_a_value_learned_after_it_applied_follows_the_one_known_until_then(
    tmp_path: Path,
) -> None:
    base = _shipped_copy(tmp_path, COURT_HOURS, COURT_HOURS + "        known_from: 2025-06-02\n")
    hours = {known: _hours_on(base, known, date(2025, 5, 30)) for known in KNOWN_DAYS}
    assert hours == {date(2025, 6, 1): 24, date(2025, 6, 2): 240}


KNOWN_DAYS = (date(2025, 6, 1), date(2025, 6, 2))


def _hours_on(base: Path, known_on: date, on: date) -> Any:
    """The third-country notice period in force on a day, by the law as known on another."""
    catalog = load_catalog_from(base, None, (), known_on)
    parameter = catalog.authorities["us-third-country-removal"].parameters["minimum_notice_hours"]
    found = value_on("minimum_notice_hours", parameter, on, ())
    assert found is not None
    return found.value


def test_a_first_value_learned_after_it_applied_is_refused_naming_the_line(
    tmp_path: Path,
) -> None:
    base = _shipped_copy(tmp_path, FIRST_HOURS, FIRST_HOURS + "        known_from: 2026-01-15\n")
    with pytest.raises(LawDataError) as refused:
        load_catalog_from(base)
    error = refused.value
    assert error.file.endswith("us-third-country-removal.yaml") and error.line is not None
    assert "minimum_notice_hours.values.0.known_from" in error.reason
    lines = (base / "authorities" / "us-third-country-removal.yaml").read_text().splitlines()
    assert lines[error.line - 1].strip() == "known_from: 2026-01-15"


def test_the_shipped_proclamation_is_known_from_the_day_it_was_made_public() -> None:
    # Proclamation 10903 was signed on 14 March 2025 and made public on the 15th.
    def nations(known_on: date) -> Any:
        catalog = load_catalog_from(DATA_DIR, None, (), known_on)
        parameter = catalog.authorities["aea-1798"].parameters["proclaimed_nations"]
        found = value_on("proclaimed_nations", parameter, date(2025, 3, 14), ())
        assert found is not None
        return found.value

    assert nations(date(2025, 3, 14)) == [] and nations(date(2025, 3, 15)) == ["VE"]


def test_days_between_two_learnings_share_one_catalog_and_its_digest() -> None:
    # The shipped law learned Proclamation 10903 on 15 March 2025: every earlier day has the
    # same law as known, loaded once; that day has another.
    first, second = load_catalog((), date(2025, 3, 1)), load_catalog((), date(2025, 3, 14))
    learned = load_catalog((), date(2025, 3, 15))
    assert first is second and first is not learned
    assert first.digest == load_catalog_from(DATA_DIR, None, (), date(2025, 3, 1)).digest
    assert learned.digest == load_catalog_from(DATA_DIR, None, (), date(2025, 3, 15)).digest
    assert learned.digest != first.digest
