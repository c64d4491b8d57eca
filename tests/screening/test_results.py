"""Screening results as files."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from repatria.screening.results import write_results


def test_text_a_spreadsheet_would_run_as_a_formula_is_quoted_in_results_csv(
    tmp_path: Path,
) -> None:
    results = pl.DataFrame({"to": ["=cmd|' /C calc'!A0", "MX"], "allowed": [False, True]})
    write_results(results, tmp_path / "results.csv")
    written = pl.read_csv(tmp_path / "results.csv")
    assert written["to"].to_list() == ["'=cmd|' /C calc'!A0", "MX"]
    assert written["allowed"].to_list() == [False, True]
