"""`repatria screen` at the command line: formats in and out, filling options, invalid input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from repatria.entrypoints.cli.main import app
from tests.screening.documents import csv_cells
from tests.screening.expected import expected_rows

runner = CliRunner()
EXAMPLE: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "law" / "example.json").read_text()
)
ROSTER = [
    EXAMPLE,
    {k: v for k, v in EXAMPLE.items() if k != "authority"},  # every authority in force
    {**EXAMPLE, "to": "SV"},  # not a national of SV
    {
        **EXAMPLE,
        "person": {**EXAMPLE["person"], "citizenships": ["MX", "VE"]},
        "authority": "aea-1798",
        "to": "VE",
    },
]
COLUMNS = ["row", "authority", "to", "allowed", "grounds"]


def _write(path: Path, documents: list[dict[str, Any]]) -> Path:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(d) + "\n" for d in documents))
        return path
    cells = [csv_cells(d) for d in documents]
    frame = pl.DataFrame(cells, schema={name: pl.String for name in cells[0]})
    frame.write_csv(path) if path.suffix == ".csv" else frame.write_parquet(path)
    return path


def _read(path: Path) -> list[tuple[Any, ...]]:
    if path.suffix == ".parquet":
        frame = pl.read_parquet(path)
    elif path.suffix == ".csv":
        frame = pl.read_csv(path, schema_overrides={"grounds": pl.String}).with_columns(
            pl.col("grounds").fill_null("")
        )
    else:
        frame = pl.read_ndjson(path)
    assert frame.columns == COLUMNS
    return [tuple(row) for row in frame.iter_rows()]


@pytest.mark.parametrize(
    ("source", "target"),
    [("jsonl", "csv"), ("csv", "parquet"), ("parquet", "jsonl"), ("jsonl", "parquet")],
)
def test_screen_reads_and_writes_every_format_with_one_row_per_verdict(
    tmp_path: Path, source: str, target: str
) -> None:
    roster = _write(tmp_path / f"roster.{source}", ROSTER)
    out = tmp_path / f"results.{target}"
    result = runner.invoke(app, ["screen", str(roster), "--out", str(out), "--authority", "all"])
    assert result.exit_code == 0, result.output
    assert _read(out) == expected_rows(ROSTER)
    assert "us-mx-1976" in result.stdout and "allowed" in result.stdout


def test_options_fill_what_the_roster_lacks(tmp_path: Path) -> None:
    lacking = {k: v for k, v in EXAMPLE.items() if k not in ("authority", "from", "as_of")}
    roster = _write(tmp_path / "roster.csv", [lacking])
    out = tmp_path / "results.jsonl"
    options = ["--authority", "us-mx-1976", "--from", "US", "--as-of", "2025-04-11"]
    result = runner.invoke(app, ["screen", str(roster), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    assert _read(out) == expected_rows([EXAMPLE])


def test_an_invalid_row_stops_the_run_naming_its_line_and_field(tmp_path: Path) -> None:
    roster = _write(tmp_path / "roster.jsonl", [EXAMPLE, {**EXAMPLE, "to": "mx"}])
    out = tmp_path / "results.csv"
    result = runner.invoke(app, ["screen", str(roster), "--out", str(out)])
    assert result.exit_code == 2
    assert "error: line 2 (row 1): to: 'mx' is not an ISO 3166-1 alpha-2 code" in result.stderr
    assert "nothing was screened" in result.stderr and not out.exists()


def test_an_invalid_csv_cell_is_named_by_its_line(tmp_path: Path) -> None:
    roster = _write(
        tmp_path / "roster.csv",
        [EXAMPLE, {**EXAMPLE, "sentence": {**EXAMPLE["sentence"], "length_days": "ten"}}],
    )
    result = runner.invoke(app, ["screen", str(roster), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    assert "error: line 3 (row 1): sentence.length_days: must be a whole number" in result.stderr


def test_a_csv_column_that_is_not_a_field_is_refused(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "authority,from,to,as_of,person.nationality\nus-mx-1976,US,MX,2025-04-11,MX\n"
    )
    result = runner.invoke(app, ["screen", str(roster), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    assert "column 'person.nationality': is not a known field" in result.stderr


def test_list_columns_that_disagree_on_their_entries_are_refused(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "authority,from,to,as_of,holds.kind,holds.issued_on\n"
        "us-removal,US,VE,2025-04-11,tro;stay,2025-03-15\n"
    )
    result = runner.invoke(app, ["screen", str(roster), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    assert "line 2 (row 0): holds: the holds.* columns list different numbers" in result.stderr


def test_a_required_field_missing_everywhere_is_named(tmp_path: Path) -> None:
    roster = _write(tmp_path / "roster.jsonl", [{k: v for k, v in EXAMPLE.items() if k != "as_of"}])
    result = runner.invoke(app, ["screen", str(roster), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 2 and "line 1 (row 0): as_of: is required" in result.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--out", "results.txt"], "--out: results.txt must end in"),
        (["--out", "r.csv", "--from", "usa"], "--from: 'usa' is not an ISO 3166-1"),
        (["--out", "r.csv", "--as-of", "11/04/2025"], "--as-of: '11/04/2025' is not a date"),
    ],
)
def test_bad_options_exit_two_before_reading(
    tmp_path: Path, options: list[str], message: str
) -> None:
    roster = _write(tmp_path / "roster.jsonl", [EXAMPLE])
    result = runner.invoke(app, ["screen", str(roster), *options])
    assert result.exit_code == 2 and message in result.stderr


def test_a_roster_of_another_format_is_refused(tmp_path: Path) -> None:
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps(EXAMPLE))
    result = runner.invoke(app, ["screen", str(roster), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 2 and "expected one of .jsonl" in result.stderr
