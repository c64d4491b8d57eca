"""`repatria movements plan | add | step | manifest | list` on the demo data."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

import pytest
from typer.testing import Result

from repatria.services import clock

Run = Callable[..., Result]
APPROVED = 19  # the demo's US→MX case left approved (services/demo_cases.py)
OFFICER = ("--as", "us-case-officer")
DEPARTURE = f"{clock.today().isoformat()}T12:00:00+00:00"


@pytest.fixture
def database_content() -> str:
    return "demo"


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def movement(repatria: Run) -> str:
    """A new US→MX movement with the approved demo case on its manifest."""
    planned = ok(
        repatria("movements", "plan", "us-mx-1976", "US", "MX", "--departure", DEPARTURE, *OFFICER)
    )
    found = re.search(r"planned (.+) \(id (\d+)\)", planned)
    assert found, planned
    added = ok(repatria("movements", "add", found[2], str(APPROVED), *OFFICER))
    assert "legal basis: assessment" in added
    return found[2]


def test_a_movement_is_locked_departs_and_arrives_with_its_case(
    repatria: Run, movement: str
) -> None:
    assert "is now manifest_locked" in ok(repatria("movements", "step", movement, "lock", *OFFICER))
    assert "is now departed" in ok(repatria("movements", "step", movement, "depart", *OFFICER))
    arrived = repatria("movements", "step", movement, "confirm_arrival", "--as", "mx-case-officer")
    assert "is now arrived" in ok(arrived)
    shown = ok(repatria("cases", "show", str(APPROVED), *OFFICER))
    assert "completed" in shown


def test_custody_follows_the_person_when_the_arrival_is_confirmed(
    repatria: Run, movement: str
) -> None:
    shown = ok(repatria("cases", "show", str(APPROVED), *OFFICER))
    person = re.search(r"person (\d+)", shown)
    assert person, shown
    assert "held by US" in ok(repatria("people", "show", person[1], *OFFICER))
    for command in ("lock", "depart"):
        ok(repatria("movements", "step", movement, command, *OFFICER))
    ok(repatria("movements", "step", movement, "confirm_arrival", "--as", "mx-case-officer"))
    # Mexico now holds the person; the US still reads the record of what happened before.
    assert "held by MX" in ok(repatria("people", "show", person[1], "--as", "mx-case-officer"))
    assert "held by MX" in ok(repatria("people", "show", person[1], *OFFICER))


def test_the_manifest_exports_as_csv_and_as_json(repatria: Run, movement: str) -> None:
    rows = list(
        csv.DictReader(io.StringIO(ok(repatria("movements", "manifest", movement, *OFFICER))))
    )
    assert len(rows) == 1 and rows[0]["status"] == "aboard"
    assert rows[0]["legal_basis"].startswith("assessment ")
    exported = ok(repatria("movements", "manifest", movement, "--format", "json", *OFFICER))
    assert json.loads(exported) == rows


def test_a_manifest_format_other_than_csv_or_json_is_a_usage_error(
    repatria: Run, movement: str
) -> None:
    result = repatria("movements", "manifest", movement, "--format", "xml", *OFFICER)
    assert result.exit_code == 2 and "xml" in result.output


def test_the_next_movement_continues_the_demo_numbering(repatria: Run) -> None:
    planned = ok(
        repatria("movements", "plan", "us-mx-1976", "US", "MX", "--departure", DEPARTURE, *OFFICER)
    )
    assert "187" in planned  # 184 replayed, 185 in transit, 186 scheduled
    listed = ok(repatria("movements", "list", *OFFICER))
    assert "187" in listed and "planned" in listed


def test_a_sequence_number_already_used_names_the_field(repatria: Run) -> None:
    result = repatria(
        "movements",
        "plan",
        "us-mx-1976",
        "US",
        "MX",
        "--sequence",
        "100",
        "--departure",
        DEPARTURE,
        *OFFICER,
    )
    assert result.exit_code == 2 and "sequence" in result.stderr


def test_a_departure_that_is_not_a_time_names_the_field(repatria: Run) -> None:
    result = repatria(
        "movements", "plan", "us-mx-1976", "US", "MX", "--departure", "next week", *OFFICER
    )
    assert result.exit_code == 2 and "planned_departure" in result.stderr


def test_an_unknown_movement_step_names_the_field(repatria: Run, movement: str) -> None:
    result = repatria("movements", "step", movement, "fly", *OFFICER)
    assert result.exit_code == 2 and "command" in result.stderr


def test_only_the_receiving_state_confirms_arrival(repatria: Run, movement: str) -> None:
    ok(repatria("movements", "step", movement, "lock", *OFFICER))
    ok(repatria("movements", "step", movement, "depart", *OFFICER))
    refused = repatria("movements", "step", movement, "confirm_arrival", *OFFICER)
    assert refused.exit_code == 1 and "receiving state" in refused.stderr


def test_a_case_stopped_by_a_hold_comes_off_the_manifest_at_lock(
    repatria: Run, movement: str
) -> None:
    person = ok(repatria("cases", "show", str(APPROVED), *OFFICER))
    person_id = re.search(r"person (\d+)", person)
    assert person_id, person
    ok(
        repatria(
            "people",
            "hold",
            person_id[1],
            "--kind",
            "tro",
            "--issued-on",
            clock.today().isoformat(),
            "--court",
            "S.D. Tex.",
            *OFFICER,
        )
    )
    locked = ok(repatria("movements", "step", movement, "lock", *OFFICER))
    assert "is now manifest_locked" in locked
    rows = list(
        csv.DictReader(io.StringIO(ok(repatria("movements", "manifest", movement, *OFFICER))))
    )
    assert rows[0]["status"] == "removed" and rows[0]["removed_reason"]


def test_show_prints_the_movement_with_its_manifest(repatria: Run, movement: str) -> None:
    shown = ok(repatria("movements", "show", movement, *OFFICER))
    assert "planned" in shown and "aboard" in shown and "30 seats" in shown
