"""`repatria people record | show | update` on the demo data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
OFFICER = ("--as", "us-case-officer")


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


def test_show_prints_the_person_with_their_sentence(repatria: Run) -> None:
    shown = ok(repatria("people", "show", "19", *OFFICER))
    assert "person 19 (version 1)" in shown and "held by US; citizen of MX" in shown
    assert "sentence:" in shown


def test_people_list_finds_a_person_by_part_of_a_name(repatria: Run) -> None:
    listed = ok(repatria("people", "list", "--name", "Figueroa", *OFFICER))
    assert "1 people" in listed and "Figueroa Lugo" in listed
