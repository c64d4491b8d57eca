"""CSV and Parquet rosters: one document per row, dotted column names, lists `;`-separated.

An empty CSV cell is unknown; a quoted empty cell ("") in a list column is an empty list.
Lists of objects (holds, protection orders, exceptions) have one column per member, aligned by
position; a member that is a list of codes is `+`-separated within its entry ("US+JP;US").
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from repatria.screening.fields import FIELDS, GROUP_COLUMNS, GROUPS, ROSTER_COLUMNS, Kind
from repatria.screening.roster.exact import Problem, RosterError


def _split(cell: pl.Expr) -> pl.Expr:
    parts = cell.str.split(";").list.eval(pl.element().str.strip_chars())
    return pl.when(cell == "").then(pl.lit([], pl.List(pl.String))).otherwise(parts)


def _as_list(name: str, dtype: pl.DataType) -> pl.Expr:
    cell = pl.col(name)
    if isinstance(dtype, pl.List):
        return cell.cast(pl.List(pl.String))
    return _split(cell)


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A Parquet column of dates or times as the text the document would hold."""
    cell = pl.col(name)
    if dtype == pl.Date:
        return cell.dt.to_string("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        text = cell.dt.to_string("%Y-%m-%dT%H:%M:%S%.f")
        return text + cell.dt.to_string("%:z") if dtype.time_zone else text
    return cell


def _part(member: str, kind: Kind, part: pl.Expr) -> pl.Expr:
    """One entry's text for a member; a list of codes is `+`-separated within its entry."""
    if kind is Kind.COUNTRIES:
        codes = part.str.split("+").list.eval(pl.element().str.strip_chars())
        part = pl.when(part != "").then(codes)
    return part.alias(member)


def _group(group: str, cells: pl.DataFrame) -> pl.Expr:
    """Aligned member columns as a list of entries (members still text, or lists of texts)."""
    kinds = {f"{group}.{m}": kind for m, kind in GROUPS[group].items()}
    members = list(kinds)
    lists = {m: _as_list(m, cells.schema[m]) for m in members}
    counts = [lists[m].list.len() for m in members]
    entries = pl.max_horizontal(counts)
    longest = int(cells.select(entries.max().fill_null(0)).item())
    known = pl.any_horizontal(pl.col(m).is_not_null() for m in members)
    positions = [
        pl.when(entries > k).then(
            pl.struct(
                _part(m.split(".")[1], kinds[m], lists[m].list.get(k, null_on_oob=True))
                for m in members
            )
        )
        for k in range(longest)
    ]
    struct_type = pl.List(
        pl.Struct(
            {
                m: pl.List(pl.String) if kind is Kind.COUNTRIES else pl.String
                for m, kind in GROUPS[group].items()
            }
        )
    )
    listed = pl.concat_list(positions).list.drop_nulls() if positions else pl.lit([], struct_type)
    # Members that disagree on the number of entries: the exact path names the problem.
    uneven = pl.min_horizontal(counts) != entries
    return pl.when(known & ~uneven.fill_null(False)).then(listed).cast(struct_type).alias(group)


def _uneven(group: str, cells: pl.DataFrame) -> pl.Expr:
    members = [f"{group}.{m}" for m in GROUPS[group]]
    counts = [_as_list(m, cells.schema[m]).list.len() for m in members]
    return (pl.min_horizontal(counts) != pl.max_horizontal(counts)).fill_null(False)


def raw_columns(cells: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """The raw roster columns `convert.typed` reads, and rows the exact path must look at."""
    columns = [pl.col("row")]
    for name, kind in FIELDS.items():
        dtype = cells.schema[name]
        if kind is Kind.COUNTRIES:
            columns.append(_as_list(name, dtype).alias(name))
        else:
            columns.append(_as_text(name, dtype).alias(name))
    columns += [_group(group, cells) for group in GROUPS]
    odd = pl.any_horizontal(_uneven(group, cells) for group in GROUPS)
    frame = cells.select(*columns, odd.alias("_odd"))
    return frame.drop("_odd"), frame["_odd"]


def _check_columns(names: list[str], path: Path) -> None:
    unknown = [name for name in names if name not in ROSTER_COLUMNS]
    if unknown:
        problems = [
            Problem(0, None, f"column {name!r}", "is not a known field") for name in unknown
        ]
        raise RosterError(problems)


def _complete(cells: pl.DataFrame) -> pl.DataFrame:
    missing = [name for name in [*FIELDS, *GROUP_COLUMNS] if name not in cells.columns]
    return cells.with_columns(pl.lit(None, pl.String).alias(name) for name in missing)


def read_csv(path: Path) -> pl.DataFrame:
    """Cells of a CSV roster as text (trimmed; an empty unquoted cell is null), with `row`."""
    cells = pl.read_csv(path, infer_schema=False, raise_if_empty=False)
    _check_columns(cells.columns, path)
    trimmed = [pl.col(c).str.strip_chars() for c in cells.columns]
    scalar = [c for c in cells.columns if c in FIELDS and FIELDS[c] is not Kind.COUNTRIES]
    cells = cells.with_columns(trimmed).with_columns(
        pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in scalar
    )
    return _complete(cells).with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))


def read_parquet(path: Path) -> pl.DataFrame:
    """Cells of a Parquet roster (typed or text columns), with `row`."""
    cells = pl.read_parquet(path)
    _check_columns(cells.columns, path)
    return _complete(cells).with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
