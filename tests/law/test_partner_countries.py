"""Every country the US transfer program serves is reachable under some authority, screened
with `--authority all` as a transfer officer would; where none allows it, the reason is
honest: only a date the law data has not verified stands in the way."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.screening import screen
from repatria.screening.roster import Fill, read_roster
from repatria.services.assessments import EXAMPLE

COUNTRIES = yaml.safe_load(
    (Path(__file__).parent / "data" / "doj-participating-countries.yaml").read_text()
)["countries"]
TRANSFERS = ("us-", "coe-", "inter-american-", "eu-")
REMOVALS = {"us-removal", "us-third-country-removal", "aea-1798", "custody-agreement"}

# The example application (services.assessments.EXAMPLE), dated so that every condition is met
# as of 1 June 2021, for a national of the receiving state.
FAVOURABLE: dict[str, Any] = {
    **copy.deepcopy(EXAMPLE),
    "as_of": "2021-06-01",
    "request_received_on": "2021-01-04",
    "consent": {**EXAMPLE["consent"], "verified_on": "2021-02-03"},
    "approvals": {"sending_state": "2021-01-10", "receiving_state": "2021-03-01"},
    "protection_orders": [],
    "holds": [],
}
FAVOURABLE["sentence"].update(indeterminate=False, death_sentence=False)
for key in ("authority", "to"):
    FAVOURABLE.pop(key)


def _document(state: str) -> dict[str, Any]:
    document = copy.deepcopy(FAVOURABLE)
    document["person"]["citizenships"] = [state]
    return document


@pytest.fixture(scope="module")
def screened() -> dict[str, list[tuple[str, bool]]]:
    """(authority, allowed) for each country, from one `--authority all` roster."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.jsonl"
        lines = [json.dumps(_document(country["state"])) for country in COUNTRIES]
        path.write_text("\n".join(lines) + "\n")
        results = screen(read_roster(path, Fill(authority="all")))
    found: dict[str, list[tuple[str, bool]]] = {}
    for row in results.iter_rows(named=True):
        state = COUNTRIES[row["row"]]["state"]
        if row["authority"] is not None and row["authority"] not in REMOVALS:
            found.setdefault(state, []).append((row["authority"], row["allowed"]))
    return found


def test_the_list_is_the_programmes_83_countries() -> None:
    assert len({country["state"] for country in COUNTRIES}) == 83


@pytest.mark.parametrize("state", [country["state"] for country in COUNTRIES])
def test_a_favourable_transfer_is_allowed_or_waits_only_on_an_unverified_date(
    state: str, screened: dict[str, list[tuple[str, bool]]]
) -> None:
    verdicts = screened.get(state, [])
    assert verdicts, f"no transfer authority is in force between US and {state} in 2021"
    assert all(authority.startswith(TRANSFERS) for authority, _ in verdicts)
    if any(allowed for _, allowed in verdicts):
        return
    # None allows it: each authority must stop at AUTHORITY alone, unknown, and say why.
    for authority, _ in verdicts:
        verdict = assess(parse_document({**_document(state), "authority": authority, "to": state}))
        assert verdict.grounds == ["AUTHORITY"], (authority, verdict.grounds)
        for check in verdict.checks:
            if check.outcome != "pass":
                assert check.outcome == "unknown"
                assert "not verified" in check.reason or "not known" in check.reason
