"""The law as known on a day: an entry learned after the day it applies in law (`known_from`)
is left out of the law as known before it; answers as of the same day differ by what was
known, and the digest says which law answered."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from repatria.law.catalog import DATA_DIR, load_catalog_from
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.law.held import AmendmentText

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
