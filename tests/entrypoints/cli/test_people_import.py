"""`repatria people import`: all rows checked first, one bad row imports nothing."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import Result

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container

HEADER = [
    "family_name",
    "given_names",
    "birth_date",
    "held_by_state",
    "citizenships",
    "identifiers",
    "sentence.offense",
    "sentence.offense_category",
    "sentence.jurisdiction",
    "sentence.start_date",
    "sentence.length_days",
]


@pytest.fixture
def database_content() -> str:
    return "demo"


def _row(n: int) -> list[str]:
    return [
        f"Family{n}",
        f"Given{n}",
        f"19{50 + n % 50:02d}-01-{1 + n % 28:02d}",
        "US",
        "MX;US" if n % 10 == 0 else "MX",
        f"bop-register:{n:05d}-900",
        "Distribution",
        "drug_trafficking",
        "US",
        "2020-01-01",
        str(365 + n),
    ]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _people(container: Container) -> int:
    with container.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(t.people)) or 0)


def test_a_thousand_good_rows_are_imported(
    repatria: Callable[..., Result], container: Container, tmp_path: Path
) -> None:
    before = _people(container)
    path = _write(tmp_path / "roster.csv", [_row(n) for n in range(1000)])
    result = repatria("people", "import", str(path), "--as", "us-case-officer")
    assert result.exit_code == 0, result.output
    assert "imported 1000 people" in result.stdout
    assert _people(container) == before + 1000


def test_one_bad_row_among_a_thousand_imports_nothing_and_names_line_and_field(
    repatria: Callable[..., Result], container: Container, tmp_path: Path
) -> None:
    before = _people(container)
    rows = [_row(n) for n in range(1000)]
    rows[636][2] = "1999-13-01"  # line 638 of the file: the header is line 1
    path = _write(tmp_path / "roster.csv", rows)
    result = repatria("people", "import", str(path), "--as", "us-case-officer")
    assert result.exit_code == 2
    assert "line 638: birth_date:" in result.stderr
    assert "nothing was imported" in result.stderr
    assert _people(container) == before


def test_every_bad_row_is_reported(
    repatria: Callable[..., Result], container: Container, tmp_path: Path
) -> None:
    rows = [_row(n) for n in range(20)]
    rows[3][3] = "MX"  # held by another state than the importer's
    rows[7][7] = "jaywalking"
    rows[9][5] = rows[2][5]  # the same register number twice
    path = _write(tmp_path / "roster.csv", rows)
    result = repatria("people", "import", str(path), "--as", "us-case-officer")
    assert result.exit_code == 2
    for expected in (
        "line 5: held_by_state",
        "line 9: sentence.offense_category",
        "line 11: identifiers",
    ):
        assert expected in result.stderr


def test_an_identifier_already_in_the_database_imports_nothing(
    repatria: Callable[..., Result], container: Container, tmp_path: Path
) -> None:
    before = _people(container)
    rows = [_row(n) for n in range(5)]
    rows[4][5] = "bop-register:40000-479"  # a demo person's register number
    path = _write(tmp_path / "roster.csv", rows)
    result = repatria("people", "import", str(path), "--as", "us-case-officer")
    assert result.exit_code == 2 and "40000-479" in result.stderr
    assert _people(container) == before


def test_an_unknown_column_is_refused(repatria: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("family_name,shoe_size\nA,42\n", encoding="utf-8")
    result = repatria("people", "import", str(path), "--as", "us-case-officer")
    assert result.exit_code == 2 and "shoe_size" in result.stderr


def test_only_a_case_officer_may_import(repatria: Callable[..., Result], tmp_path: Path) -> None:
    path = _write(tmp_path / "roster.csv", [_row(1)])
    result = repatria("people", "import", str(path), "--as", "us-auditor")
    assert result.exit_code == 1 and "auditor" in result.stderr
