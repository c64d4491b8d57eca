"""CSV cells a spreadsheet would run as a formula are written as text."""

from __future__ import annotations

import csv
import io

import pytest

from repatria.csv_export import csv_text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote(start: str) -> None:
    text = csv_text(("name",), [{"name": f'{start}HYPERLINK("https://evil.example","x")'}])
    [row] = csv.DictReader(io.StringIO(text, newline=""))
    assert row["name"] == f'\'{start}HYPERLINK("https://evil.example","x")'


def test_other_text_and_numbers_are_written_as_they_are() -> None:
    text = csv_text(("name", "count"), [{"name": "Ortega-Salas", "count": -3}])
    assert text == "name,count\r\nOrtega-Salas,-3\r\n"
