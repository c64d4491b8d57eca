"""Whether the authority binds the states on the date, for a whole roster at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from repatria.law.schema import Authority
from repatria.screening.checks.base import FAIL, PASS, Columns, decide, vector_check, yes
from repatria.screening.fields import COUNTRY


def party_bound(authority: Authority, state: pl.Expr, on: pl.Expr) -> pl.Expr:
    """True where `state` (a country column) is a party on the date `on`, as `party_on`."""
    # A state may have several entries (it left and joined again): check the k-th of each.
    entries: dict[str, list[tuple[date, date]]] = {}
    for party in authority.parties:
        entries.setdefault(party.state, []).append((party.from_, party.until or date.max))
    code = state.to_physical()  # the country's position in the enum: a table lookup
    bound = pl.lit(False)
    for k in range(max((len(v) for v in entries.values()), default=0)):
        starts: list[date | None] = [None] * len(_CODES)
        ends: list[date | None] = [None] * len(_CODES)
        for country, listed in entries.items():
            if len(listed) > k:
                starts[_CODES[country]], ends[_CODES[country]] = listed[k]
        start = pl.lit(pl.Series(starts, dtype=pl.Date)).gather(code)
        end = pl.lit(pl.Series(ends, dtype=pl.Date)).gather(code)
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


@vector_check("agreement-in-force")
def agreement_in_force(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A custody arrangement between the sending and the host state in force on the date."""
    bound = agreement_bound(columns.authority, columns, first_only=True)
    return decide((~bound, FAIL), otherwise=PASS)
