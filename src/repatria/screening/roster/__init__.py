"""Reading a roster (JSON Lines, CSV or Parquet) into checked, typed columns.

Invalid rows fail the whole run, as `repatria assess` fails on an invalid document: the first
problems are reported with their line, field and reason, and nothing is screened.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl

from repatria.screening.documents import frame_from_rows
from repatria.screening.roster.convert import Fill, typed
from repatria.screening.roster.exact import (
    MAX_PROBLEMS,
    Problem,
    RosterError,
    cell_document,
    exact_rows,
    json_items,
)
from repatria.screening.roster.jsonl import read_jsonl
from repatria.screening.roster.tabular import raw_columns, read_csv, read_parquet

SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")

__all__ = [
    "MAX_PROBLEMS",
    "SUFFIXES",
    "Fill",
    "Problem",
    "RosterError",
    "read_documents",
    "read_roster",
]


def _cells(
    source: pl.DataFrame, rows: pl.Series, line_offset: int | None
) -> Iterator[tuple[int, int | None, object]]:
    for cells in source.filter(pl.col("row").is_in(rows.implode())).iter_rows(named=True):
        row = int(cells["row"])
        line = None if line_offset is None else row + line_offset
        yield row, line, cell_document(row, line, cells)


def read_roster(path: Path, fill: Fill) -> pl.DataFrame:
    """The typed roster of a file, numbered by `row`; RosterError if any row is invalid."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise RosterError(
            [Problem(0, None, "roster", f"{path.name}: expected one of {', '.join(SUFFIXES)}")]
        )
    if suffix in (".jsonl", ".ndjson"):
        return _typed_lines(pl.read_lines(path, row_index_name="row"), fill)
    cells = read_csv(path) if suffix == ".csv" else read_parquet(path)
    raw, odd = raw_columns(cells)
    frame, bad = typed(raw, fill)
    bad = bad | odd
    items = _cells(cells, _flagged(frame, bad), 2 if suffix == ".csv" else None)
    return _with_exact(frame, bad, items, fill)


def read_documents(texts: pl.Series, fill: Fill) -> pl.DataFrame:
    """The typed roster of documents held as JSON texts, numbered by position: read exactly
    as a JSON Lines file of them would be, with no file written (the impact of an amendment
    reads the stored documents of the open cases so)."""
    # A line break between a document's tokens would end its line in a file.
    lines = texts.str.replace_all("\n", " ", literal=True).alias("line").to_frame()
    return _typed_lines(lines.with_row_index("row"), fill)


def _typed_lines(lines: pl.DataFrame, fill: Fill) -> pl.DataFrame:
    raw, odd, undecoded, lines = read_jsonl(lines)
    frame, bad = typed(raw, fill)
    bad = bad | odd
    wanted = pl.concat([_flagged(frame, bad), undecoded]).sort()
    chosen = lines.filter(pl.col("row").is_in(wanted.implode()))
    return _with_exact(frame, bad, json_items(chosen.iter_rows()), fill)


def _flagged(frame: pl.DataFrame, bad: pl.Series) -> pl.Series:
    return frame.filter(bad)["row"] if bool(bad.any()) else pl.Series("row", [], pl.Int64)


def _with_exact(
    frame: pl.DataFrame,
    bad: pl.Series,
    items: Iterator[tuple[int, int | None, object]],
    fill: Fill,
) -> pl.DataFrame:
    """The roster with its flagged rows replaced by the exact parser's reading of them."""
    rows, numbers, problems, more = exact_rows(items, fill)
    if problems:
        raise RosterError(problems, more)
    if bool(bad.any()):
        frame = frame.filter(~bad)
    if rows:
        exact = frame_from_rows(rows, numbers).select(frame.columns)
        frame = pl.concat([frame, exact]).sort("row")
    return frame
