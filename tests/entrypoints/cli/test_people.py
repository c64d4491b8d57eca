"""`repatria people record | update | hold | protection-order` on the demo data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
OFFICER = ("--as", "us-case-officer")
TODAY = date.today().isoformat()
# Demo people (services/demo_cases.py): each has one US→MX case, left at a different state.
APPROVED_PERSON, RECEIVING_REVIEW_PERSON = 19, 17
APPROVED_CASE = 19  # the approved case of APPROVED_PERSON


@pytest.fixture
def database_content() -> str:
    return "demo"


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_person_is_recorded_from_a_json_file_and_corrected(repatria: Run, tmp_path: Path) -> None:
    person = tmp_path / "person.json"
    person.write_text(
        json.dumps({"family_name": "Ruiz", "given_names": "Ana", "held_by_state": "US"})
    )
    recorded = ok(repatria("people", "record", str(person), *OFFICER))
    found = re.search(r"recorded person (\d+): Ruiz, Ana", recorded)
    assert found, recorded
    correction = tmp_path / "correction.json"
    correction.write_text(json.dumps({"given_names": "Ana María"}))
    corrected = repatria("people", "update", found[1], str(correction), "--version", "1", *OFFICER)
    assert "(version 2)" in ok(corrected)


def test_a_person_without_a_family_name_names_the_field(repatria: Run, tmp_path: Path) -> None:
    person = tmp_path / "person.json"
    person.write_text(json.dumps({"given_names": "Ana", "held_by_state": "US"}))
    result = repatria("people", "record", str(person), *OFFICER)
    assert result.exit_code == 2 and "family_name" in result.stderr


def test_a_person_held_by_another_state_is_refused(repatria: Run, tmp_path: Path) -> None:
    person = tmp_path / "person.json"
    person.write_text(
        json.dumps({"family_name": "Ruiz", "given_names": "Ana", "held_by_state": "MX"})
    )
    result = repatria("people", "record", str(person), *OFFICER)
    assert result.exit_code == 1 and "held_by_state" in result.stderr


def test_a_hold_cancels_the_persons_open_treaty_case_at_once(repatria: Run) -> None:
    held = repatria(
        "people",
        "hold",
        str(APPROVED_PERSON),
        "--kind",
        "injunction",
        "--issued-on",
        TODAY,
        "--court",
        "D.D.C.",
        "--reference",
        "1:26-cv-0001",
        *OFFICER,
    )
    assert "is now cancelled" in ok(held)
    shown = ok(repatria("cases", "show", str(APPROVED_CASE), *OFFICER))
    assert "cancelled" in shown


def test_a_hold_of_an_unknown_kind_names_the_field(repatria: Run) -> None:
    result = repatria(
        "people", "hold", str(APPROVED_PERSON), "--kind", "curfew", "--issued-on", TODAY, *OFFICER
    )
    assert result.exit_code == 2 and "kind" in result.stderr


def test_only_the_holding_state_records_a_hold(repatria: Run) -> None:
    result = repatria(
        "people",
        "hold",
        str(APPROVED_PERSON),
        "--kind",
        "tro",
        "--issued-on",
        TODAY,
        "--as",
        "mx-case-officer",
    )
    assert result.exit_code == 1 and "US" in result.stderr


def test_a_protection_order_stops_every_open_case_to_that_country(repatria: Run) -> None:
    ordered = repatria(
        "people",
        "protection-order",
        str(RECEIVING_REVIEW_PERSON),
        "--kind",
        "cat_deferral",
        "--country",
        "MX",
        "--issued-on",
        TODAY,
        "--issued-by",
        "IJ Houston",
        *OFFICER,
    )
    printed = ok(ordered)
    assert "(MX)" in printed and "is now cancelled" in printed


def test_a_protection_order_for_another_country_stops_nothing(repatria: Run) -> None:
    ordered = repatria(
        "people",
        "protection-order",
        str(RECEIVING_REVIEW_PERSON),
        "--kind",
        "withholding",
        "--country",
        "GT",
        "--issued-on",
        TODAY,
        *OFFICER,
    )
    assert "no open case was affected" in ok(ordered)


def test_a_protection_order_with_a_bad_country_names_the_field(repatria: Run) -> None:
    result = repatria(
        "people",
        "protection-order",
        str(RECEIVING_REVIEW_PERSON),
        "--kind",
        "withholding",
        "--country",
        "Mexico",
        "--issued-on",
        TODAY,
        *OFFICER,
    )
    assert result.exit_code == 2 and "country" in result.stderr
