"""A party chart as columns: whether each row's state was bound by an authority on a day.

An authority's chart lists, per state, the days it was a party (verified entries, and entries
not yet verified). Screening looks these up by the state's position in the country enum, or,
for charts of a few states, compares codes directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from repatria.law.schema import Authority
from repatria.screening.fields import COUNTRY
from repatria.screening.logic import any_of

_POSITIONS = {code: index for index, code in enumerate(COUNTRY.categories.to_list())}


def by_code(values: Mapping[str, Any], dtype: pl.DataType, state: pl.Expr) -> pl.Expr:
    """A per-country value looked up by the state's position in the country enum."""
    table: list[Any] = [None] * len(_POSITIONS)
    for country, value in values.items():
        table[_POSITIONS[country]] = value
    return pl.lit(pl.Series(table, dtype=dtype)).gather(state.cast(COUNTRY).to_physical())


def bounds(
    authority: Authority, state: pl.Expr, *, verified: bool
) -> list[tuple[pl.Expr, pl.Expr]]:
    """(start, end) of each state's k-th party entry (verified or not), as date columns."""
    # A state may have several entries (it left and joined again): check the k-th of each.
    entries: dict[str, list[tuple[date, date]]] = {}
    for party in authority.parties:
        if party.verified is verified:
            entries.setdefault(party.state, []).append((party.from_, party.until or date.max))
    width = max((len(v) for v in entries.values()), default=0)
    return [
        (
            by_code({c: e[k][0] for c, e in entries.items() if len(e) > k}, pl.Date(), state),
            by_code({c: e[k][1] for c, e in entries.items() if len(e) > k}, pl.Date(), state),
        )
        for k in range(width)
    ]


def covered(spans: list[tuple[pl.Expr, pl.Expr]], on: pl.Expr) -> pl.Expr:
    """Whether any of the (start, end) spans covers the day."""
    return any_of((start <= on) & (on <= end) for start, end in spans)


_FEW = 6  # up to this many states, comparing codes is cheaper than looking them up


def entries_cover(authority: Authority, state: pl.Expr, on: pl.Expr, *, verified: bool) -> pl.Expr:
    """Whether a (verified or unverified) party entry of the state covers the day."""
    entries = [party for party in authority.parties if party.verified is verified]
    if len({party.state for party in entries}) > _FEW:
        return covered(bounds(authority, state, verified=verified), on)
    return any_of(
        (state == party.state)
        & (on >= pl.lit(party.from_))
        & (on <= pl.lit(party.until or date.max))
        for party in entries
    )
