"""`repatria facilities show`, `repatria allocate` and `repatria money …` on the demo data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import Result

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container

Run = Callable[..., Result]


@pytest.fixture
def database_content() -> str:
    return "demo"


def test_facilities_show_gives_cecots_declared_and_standard_capacity(repatria: Run) -> None:
    result = repatria("facilities", "show", "cecot", "--standard", "cpt", "--on", "2025-04-11")
    assert result.exit_code == 0, result.output
    assert "40,000" in result.stdout and "6,144" in result.stdout
    assert "6.51 times the CPT standard capacity of 6,144 (33,856 over)" in result.stdout
    icrc = repatria("facilities", "show", "cecot", "--standard", "icrc", "--on", "2025-04-11")
    assert "7,424" in icrc.stdout


def test_an_unknown_standard_is_an_invalid_input(repatria: Run) -> None:
    result = repatria("facilities", "show", "cecot", "--standard", "xyz")
    assert result.exit_code == 2
    assert "standard" in result.stderr


def test_money_savings_of_the_april_2025_batch(repatria: Run, container: Container) -> None:
    with container.engine.connect() as connection:
        movement = connection.scalar(select(t.movements.c.id).where(t.movements.c.sequence == 184))
    result = repatria("money", "savings", str(movement))
    assert result.exit_code == 0, result.output
    assert "total savings: USD 3,306,750.00" in result.stdout
    assert "FY2023" in result.stdout
    rows = list(
        csv.DictReader(io.StringIO(repatria("money", "savings", str(movement), "--csv").stdout))
    )
    assert rows[-1]["savings"] == "3306750.00"


def test_money_invoice_of_the_agreement_for_march_2025(repatria: Run) -> None:
    result = repatria("money", "invoice", "us-sv-2025", "--month", "2025-03")
    assert result.exit_code == 0, result.output
    assert "3,808 person-days" in result.stdout
    assert "total USD 4,760,000.00" in result.stdout
    bad = repatria("money", "invoice", "us-sv-2025", "--month", "March")
    assert bad.exit_code == 2 and "month" in bad.stderr


def test_allocate_places_people_from_a_file_and_explains_who_is_left_out(
    repatria: Run, container: Container, tmp_path: Path
) -> None:
    # Two people El Salvador holds and has not yet placed in a cell.
    from repatria.domain.accounts import Principal, Role
    from repatria.services import people
    from repatria.services.commands import RecordPerson

    officer = Principal(None, "sv-case-officer", Role.CASE_OFFICER, None, "SV")
    with container.uow() as uow:
        ids = [
            people.record(
                uow,
                officer,
                RecordPerson(family_name="Arriving", given_names=name, held_by_state="SV"),
            ).id
            for name in ("One", "Two")
        ]
        uow.commit()
    body = {
        "on": "2025-05-01",
        "arrivals": [
            {"person_id": ids[0], "security_level": "min"},
            {"person_id": ids[1], "security_level": "min"},
        ],
    }
    file = tmp_path / "arrivals.json"
    file.write_text(json.dumps(body), encoding="utf-8")
    result = repatria("allocate", "cecot", str(file), "--as", "sv-facility-admin", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "no cell of security level 'min'" in result.stdout
    assert "0 placed" in result.stdout and "dry run, nothing stored" in result.stdout


def test_a_facility_cannot_place_someone_no_case_or_custody_brings_there(
    repatria: Run, container: Container, tmp_path: Path
) -> None:
    # A person held by the US with no case bound for El Salvador: the same answer as for an id
    # that does not exist, and nothing stored, even on a real run.
    with container.engine.connect() as connection:
        bound = select(t.cases.c.person_id).where(t.cases.c.to_state == "SV")
        person = connection.scalar(
            select(t.people.c.id)
            .where(t.people.c.held_by_state == "US", t.people.c.id.not_in(bound))
            .limit(1)
        )
        stays = connection.scalar(select(func.count()).select_from(t.stays))
    for person_id in (person, 99_999_999):
        file = tmp_path / f"arrivals-{person_id}.json"
        body = {"on": "2025-05-01", "arrivals": [{"person_id": person_id, "security_level": "min"}]}
        file.write_text(json.dumps(body), encoding="utf-8")
        result = repatria("allocate", "cecot", str(file), "--as", "sv-facility-admin")
        assert result.exit_code == 1 and f"person {person_id} not found" in result.output
    with container.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(t.stays)) == stays
