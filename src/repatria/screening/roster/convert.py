"""Raw roster columns to checked, typed columns, with the rows that need a closer look.

A row is flagged whenever a value might not be what the per-case parser accepts; flagged rows
are then parsed one by one by `parse_document` (see `exact`), which names the field and the
reason, or accepts a form the fast path does not know (such as 2025-W15-1 for a date).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from repatria.screening.fields import (
    COUNTRY,
    DEPARTURE_DAY,
    ENUMS,
    FIELDS,
    GROUPS,
    ORDERED_MEMBERS,
    REQUIRED_MEMBERS,
    Kind,
    column_dtype,
)

# The shapes the fast path reads; anything else goes to the exact parser, which may accept it.
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATETIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?$"
)
_INT = r"^[+-]?[0-9]{1,18}$"
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


@dataclass(frozen=True)
class Fill:
    """Values the command line supplies where the roster has none (`authority` may be 'all')."""

    authority: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    as_of: str | None = None

    @property
    def every_authority(self) -> bool:
        """Whether rows without an authority are screened against every one in force."""
        return self.authority == "all"


@dataclass(frozen=True)
class Converted:
    """One typed value column and where its raw value could not be read."""

    value: pl.Expr
    bad: pl.Expr


def _date(raw: pl.Expr) -> Converted:
    if_shaped = raw.str.contains(_DATE)
    value = pl.when(if_shaped).then(raw.str.to_date("%Y-%m-%d", strict=False))
    # Year 0 is a Polars date but not a Python one.
    bad = raw.is_not_null() & (value.is_null() | (value.dt.year() < 1)).fill_null(True)
    return Converted(value, bad)


def _datetime(raw: pl.Expr) -> tuple[Converted, pl.Expr]:
    """A time in UTC (no offset: UTC), and its calendar day where it was written."""
    shaped = raw.str.contains(_DATETIME)
    with_offset = raw.str.replace("Z", "+00:00", literal=True)
    has_offset = with_offset.str.slice(-6, 1).is_in(pl.Series(["+", "-"]).implode())
    with_offset = pl.when(has_offset).then(with_offset).otherwise(with_offset + "+00:00")
    value = pl.when(shaped).then(
        with_offset.str.to_datetime(
            "%Y-%m-%dT%H:%M:%S%.f%:z", strict=False, time_unit="us", time_zone="UTC"
        )
    )
    day = raw.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    bad = raw.is_not_null() & (value.is_null() | (day.dt.year() < 1)).fill_null(True)
    return Converted(value, bad), day


def _bool(raw: pl.Expr, dtype: pl.DataType) -> Converted:
    if dtype == pl.Boolean:
        return Converted(raw, pl.lit(False))
    lowered = raw.str.to_lowercase()
    value = pl.when(lowered == "true").then(True).when(lowered == "false").then(False)
    return Converted(value, raw.is_not_null() & value.is_null())


def _number(raw: pl.Expr, dtype: pl.DataType, kind: Kind) -> Converted:
    target = pl.Int64 if kind is Kind.INT else pl.Float64
    if dtype.is_numeric():
        if kind is Kind.INT and dtype.is_float():
            return Converted(pl.lit(None, target), raw.is_not_null())  # 12.0 is not whole
        return Converted(raw.cast(target), pl.lit(False))
    shaped = raw.str.contains(_INT if kind is Kind.INT else _NUMBER)
    value = pl.when(shaped).then(raw.cast(target, strict=False))
    return Converted(value, raw.is_not_null() & value.is_null())


def _cast(raw: pl.Expr, dtype: pl.DataType) -> Converted:
    value = raw.cast(dtype, strict=False)
    return Converted(value, raw.is_not_null() & value.is_null())


def _countries(raw: pl.Expr) -> Converted:
    value = raw.cast(pl.List(COUNTRY), strict=False)
    # A code that is not a country becomes null; a code listed twice is refused too.
    bad = raw.is_not_null() & (
        value.is_null()
        | value.list.eval(pl.element().is_null()).list.any().fill_null(True)
        | (value.list.n_unique() != value.list.len()).fill_null(True)
    )
    return Converted(value, bad)


def _typed_as_expected(kind: Kind, dtype: pl.DataType) -> bool:
    if kind is Kind.BOOL:
        return dtype == pl.Boolean
    if kind in (Kind.INT, Kind.NUMBER):
        return dtype.is_numeric()
    return kind is Kind.COUNTRIES and isinstance(dtype, pl.List)


def convert_column(name: str, raw: pl.Expr, dtype: pl.DataType) -> Converted:
    """A raw column (text, or already typed by JSON or Parquet) as its checked type."""
    kind = FIELDS[name]
    if dtype not in (pl.String, pl.Null) and not _typed_as_expected(kind, dtype):
        # A typed column of another kind: every value goes to the exact parser, which refuses it.
        return Converted(pl.lit(None, column_dtype(name)), raw.is_not_null())
    if kind is Kind.DATE:
        return _date(raw)
    if kind is Kind.BOOL:
        return _bool(raw, dtype)
    if kind in (Kind.INT, Kind.NUMBER):
        return _number(raw, dtype, kind)
    if kind is Kind.COUNTRIES:
        return _countries(raw)
    if kind is Kind.COUNTRY or name in ENUMS:
        return _cast(raw, column_dtype(name))
    return Converted(raw, pl.lit(False))


def _member(group: str, member: str, kind: Kind, raw: pl.Expr) -> Converted:
    """One member of an entry (text, or a list of texts for a list of codes), typed."""
    if kind is Kind.DATE:
        return _date(raw)
    if kind is Kind.COUNTRY:
        return _cast(raw, COUNTRY)
    if kind is Kind.ENUM:
        return _cast(raw, column_dtype(f"{group}.{member}"))
    if kind is Kind.COUNTRIES:  # as a scalar list, and not empty (`exceptions.by`)
        converted = _countries(raw)
        return Converted(converted.value, converted.bad | (raw.list.len() == 0).fill_null(False))
    return Converted(raw, pl.lit(False))


def _group(name: str) -> Converted:
    """A list of objects whose members are text: members typed, each entry checked."""
    members = GROUPS[name]
    typed, bad = [], []
    element = pl.element()
    for member, kind in members.items():
        converted = _member(name, member, kind, element.struct.field(member))
        typed.append(converted.value.alias(member))
        bad.append(converted.bad)
    bad += [element.struct.field(m).is_null() for m in REQUIRED_MEMBERS.get(name, ())]
    bad.append(element.is_null())
    entries = pl.col(name)
    value = entries.list.eval(pl.struct(typed)).cast(column_dtype(name))
    any_bad = entries.list.eval(pl.any_horizontal(bad)).list.any()
    if name in ORDERED_MEMBERS:
        first, then = ORDERED_MEMBERS[name]
        order = entries.list.eval(
            _date(element.struct.field(then)).value < _date(element.struct.field(first)).value
        )
        any_bad = any_bad | order.list.any()
    return Converted(value, entries.is_not_null() & any_bad.fill_null(True))


def _required(fill: Fill) -> pl.Expr:
    """Rows lacking a value the document must have (authority, from, to, as_of)."""
    authority = pl.col("authority")
    lacks = pl.col("from").is_null() | pl.col("as_of").is_null()
    lacks = lacks | (authority.is_not_null() & pl.col("to").is_null())
    if not fill.every_authority:
        lacks = lacks | authority.is_null()
    return lacks | (authority == "").fill_null(False)


def filled(raw: pl.DataFrame, fill: Fill) -> pl.DataFrame:
    """The raw roster with the command line's values where it has none."""
    given = {
        "authority": None if fill.every_authority else fill.authority,
        "from": fill.from_state,
        "to": fill.to_state,
        "as_of": fill.as_of,
    }
    return raw.with_columns(
        pl.col(name).fill_null(pl.lit(value, pl.String))
        for name, value in given.items()
        if value is not None
    )


def typed(raw: pl.DataFrame, fill: Fill) -> tuple[pl.DataFrame, pl.Series]:
    """The checked roster (with `row`), and which rows must be parsed one by one."""
    raw = filled(raw, fill)
    columns, bad = [pl.col("row")], [_required(fill)]
    for name in FIELDS:
        if FIELDS[name] is Kind.DATETIME:
            if raw.schema[name] in (pl.String, pl.Null):
                converted, day = _datetime(pl.col(name))
            else:  # a typed column of another kind: the exact parser names the problem
                converted = Converted(pl.lit(None, pl.String), pl.col(name).is_not_null())
                day = pl.lit(None, pl.Date)
            if name == "departure_at":
                columns.append(day.alias(DEPARTURE_DAY))
        else:
            converted = convert_column(name, pl.col(name), raw.schema[name])
        columns.append(converted.value.cast(column_dtype(name)).alias(name))
        bad.append(converted.bad)
    credit, length = pl.col("sentence.credit_days"), pl.col("sentence.length_days")
    years = pl.col("person.years_in_sending_state")
    bad += [
        (length.cast(pl.Float64, strict=False) <= 0).fill_null(False),
        (credit.cast(pl.Float64, strict=False) < 0).fill_null(False),
        (years.cast(pl.Float64, strict=False) < 0).fill_null(False),
        (credit.cast(pl.Float64, strict=False) > length.cast(pl.Float64, strict=False)).fill_null(
            False
        ),
    ]
    for name in GROUPS:
        converted = _group(name)
        columns.append(converted.value.alias(name))
        bad.append(converted.bad)
    result = raw.select(*columns, pl.any_horizontal(bad).fill_null(True).alias("_bad"))
    # As `law.document`: a number must be finite (a Parquet float may be infinite).
    infinite = ~pl.col("person.years_in_sending_state").is_finite().fill_null(True)
    flagged = result.select(pl.col("_bad") | infinite).to_series()
    return result.drop("_bad"), flagged
