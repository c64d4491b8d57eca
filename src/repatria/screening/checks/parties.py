"""Whether the authority binds the states on the date, for a whole roster at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from repatria.law.catalog import load_catalog
from repatria.law.schema import Authority
from repatria.screening.checks.base import (
    FAIL,
    PASS,
    Columns,
    constant,
    decide,
    vector_check,
    yes,
)
from repatria.screening.fields import COUNTRY


def party_since(authority: Authority, state: pl.Expr, on: pl.Expr) -> pl.Expr:
    """The first day of the party entry binding `state` on `on` (null where none does), as
    `party_on(...).from_`: the first entry in the data that binds on the day."""
    since = pl.lit(None, pl.Date)
    for start, end in reversed(list(_entry_bounds(authority, state))):
        since = pl.when(yes((start <= on) & (on <= end))).then(start).otherwise(since)
    return since


def _entry_bounds(authority: Authority, state: pl.Expr) -> list[tuple[pl.Expr, pl.Expr]]:
    """(start, end) of each state's k-th party entry, for k = 0, 1, ..., as date columns."""
    # A state may have several entries (it left and joined again): check the k-th of each.
    entries: dict[str, list[tuple[date, date]]] = {}
    for party in authority.parties:
        entries.setdefault(party.state, []).append((party.from_, party.until or date.max))
    code = state.to_physical()  # the country's position in the enum: a table lookup
    bounds = []
    for k in range(max((len(v) for v in entries.values()), default=0)):
        starts: list[date | None] = [None] * len(_CODES)
        ends: list[date | None] = [None] * len(_CODES)
        for country, listed in entries.items():
            if len(listed) > k:
                starts[_CODES[country]], ends[_CODES[country]] = listed[k]
        start = pl.lit(pl.Series(starts, dtype=pl.Date)).gather(code)
        end = pl.lit(pl.Series(ends, dtype=pl.Date)).gather(code)
        bounds.append((start, end))
    return bounds


def party_bound(authority: Authority, state: pl.Expr, on: pl.Expr) -> pl.Expr:
    """True where `state` (a country column) is a party on the date `on`, as `party_on`."""
    bound = pl.lit(False)
    for start, end in _entry_bounds(authority, state):
        bound = bound | yes((start <= on) & (on <= end))
    return bound


def agreement_bound(authority: Authority, columns: Columns, *, first_only: bool) -> pl.Expr:
    """True where a custody agreement for the (from, to) pair is in force on the date."""
    bound = pl.lit(False)
    seen: set[tuple[str, str]] = set()
    for agreement in authority.agreements:
        pair = (agreement.sending, agreement.host)
        if first_only and pair in seen:
            continue  # the per-case check reads only the first agreement for a pair
        seen.add(pair)
        same_pair = (columns.from_state == pair[0]) & (columns.to_state == pair[1])
        in_force = columns.as_of >= pl.lit(agreement.from_)
        if agreement.until is not None:
            in_force = in_force & (columns.as_of <= pl.lit(agreement.until))
        bound = bound | yes(same_pair & in_force)
    return bound


def authority_binds(authority: Authority, columns: Columns) -> pl.Expr:
    """Where the authority is in force between from and to (as `authorities_in_force`)."""
    different = yes(columns.from_state != columns.to_state)
    if authority.kind == "custody":
        return different & agreement_bound(authority, columns, first_only=False)
    bound = party_bound(authority, columns.from_state, columns.as_of)
    if authority.kind != "removal":
        bound = bound & party_bound(authority, columns.to_state, columns.as_of)
    return different & bound


_CODES = {code: index for index, code in enumerate(COUNTRY.categories.to_list())}


@vector_check("in-force")
def in_force(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Both states bound on the date (transfers) or the sending state (removals)."""
    authority = columns.authority
    bound = party_bound(authority, columns.from_state, columns.as_of)
    if authority.kind != "removal":
        bound = bound & party_bound(authority, columns.to_state, columns.as_of)
    return decide((columns.from_state == columns.to_state, FAIL), (~bound, FAIL), otherwise=PASS)


@vector_check("not-replaced")
def not_replaced(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """No later instrument binding both states replaces this one between them on the date."""
    other = load_catalog().authorities.get(params["by"]) if params["by"] else None
    if other is None:
        return constant(PASS)
    since_from = party_since(other, columns.from_state, columns.as_of)
    since_to = party_since(other, columns.to_state, columns.as_of)
    since = pl.max_horizontal(since_from, since_to)
    return decide(
        (since_from.is_null() | since_to.is_null(), PASS),
        (_received() < since, PASS),
        otherwise=FAIL,
    )


def _received() -> pl.Expr:
    """As `law.rules.parties._reference`: request_received_on, else as_of."""
    return pl.coalesce(pl.col("request_received_on"), pl.col("as_of"))


@vector_check("in-force-when-requested")
def in_force_when_requested(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Both states were bound when the request was received."""
    authority, received = columns.authority, _received()
    bound = party_bound(authority, columns.from_state, received) & party_bound(
        authority, columns.to_state, received
    )
    return decide((~bound, FAIL), otherwise=PASS)


@vector_check("agreement-in-force")
def agreement_in_force(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A custody arrangement between the sending and the host state in force on the date."""
    bound = agreement_bound(columns.authority, columns, first_only=True)
    return decide((~bound, FAIL), otherwise=PASS)
