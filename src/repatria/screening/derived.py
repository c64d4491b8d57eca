"""Facts computed once per document before screening: they do not depend on the authority.

Lists are also spread into one column per position (`_citizenship0`, `_citizenship1`, ...), so
that checks compare plain columns with the row's `to` and `from`: `list.eval` cannot see them,
and plain columns are much cheaper to gather for each authority than lists.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from repatria.screening.arithmetic import add_months, age_on
from repatria.screening.fields import DEPARTURE_DAY

AGE = "_age"  # completed years on as_of
REFERENCE = "_reference"  # the day remaining time is measured on
RELEASE_DAY = "_release_day"  # the release date as a day number (credits deducted)
HOLD_ACTIVE = "_hold_active"  # a hold in force on as_of or on the day of departure
# Lists of country codes spread by position, with the prefix of their columns.
SPREAD = {
    "person.citizenships": "_citizenship",
    "removal_order.designated_countries": "_designated",
    "protection_orders": "_order",
}
ORDERS = "protection_orders"


def spread_column(list_name: str, k: int) -> str:
    """The column holding the k-th entry of a list of codes (or the k-th order's country)."""
    if list_name == ORDERS:
        return f"_order{k}_country"
    return f"{SPREAD[list_name]}{k}"


def known_column(list_name: str) -> str:
    """The column saying whether a list is known at all (false where it is null)."""
    return f"{SPREAD[list_name]}_known"


def months_after_reference(months: int) -> str:
    """The column holding the reference day plus `months` calendar months, as a day number."""
    return f"_reference_plus_{months}_months"


def _in_force(issued: pl.Expr, ended: pl.Expr, on: pl.Expr) -> pl.Expr:
    """As `law.rules.removal._in_force`: issued on or before `on`, not ended by then."""
    return (issued.is_null() | (issued <= on).fill_null(False)) & (
        ended.is_null() | (ended > on).fill_null(False)
    )


def longest(roster: pl.DataFrame, list_name: str) -> int:
    """The most entries any document has in a list column."""
    return int(roster.select(pl.col(list_name).list.len().max().fill_null(0)).item())


def _hold_active(entries: int) -> pl.Expr:
    holds, as_of, departure = pl.col("holds"), pl.col("as_of"), pl.col(DEPARTURE_DAY)
    active = pl.lit(False)
    for k in range(entries):
        hold = holds.list.get(k, null_on_oob=True)
        issued, lifted = hold.struct.field("issued_on"), hold.struct.field("lifted_on")
        stops = _in_force(issued, lifted, as_of) | (
            departure.is_not_null() & _in_force(issued, lifted, departure)
        )
        active = active | ((holds.list.len() > k).fill_null(False) & stops)
    return pl.when(pl.col("holds").is_not_null()).then(active).alias(HOLD_ACTIVE)


def _orders_in_force(entries: int) -> list[pl.Expr]:
    orders, as_of, departure = pl.col(ORDERS), pl.col("as_of"), pl.col(DEPARTURE_DAY)
    barred = []
    for k in range(entries):
        order = orders.list.get(k, null_on_oob=True)
        issued, ended = order.struct.field("issued_on"), order.struct.field("terminated_on")
        bars = _in_force(issued, ended, as_of) | (
            departure.is_not_null() & _in_force(issued, ended, departure)
        )
        in_force = (orders.list.len() > k).fill_null(False) & bars
        country = pl.when(in_force).then(order.struct.field("country"))
        barred.append(country.alias(spread_column(ORDERS, k)))
    return barred


def _spread(list_name: str, entries: int) -> list[pl.Expr]:
    listed = pl.col(list_name)
    spread = [listed.is_not_null().alias(known_column(list_name))]
    if list_name == ORDERS:
        return spread + _orders_in_force(entries)
    for k in range(entries):
        spread.append(listed.list.get(k, null_on_oob=True).alias(spread_column(list_name, k)))
    return spread


def with_derived(
    roster: pl.DataFrame, months: Iterable[int] = ()
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The roster with the per-document facts checks share, and the longest list of each kind.

    `months`: the minimum-time-left values the law uses, precomputed once per document.
    """
    lengths = {name: longest(roster, name) for name in [*SPREAD, "holds"]}
    start, length = pl.col("sentence.start_date"), pl.col("sentence.length_days")
    credit = pl.col("sentence.credit_days").fill_null(0)  # credits only shorten a sentence
    reference = pl.coalesce(pl.col("request_received_on"), pl.col("as_of"))
    derived = roster.with_columns(
        age_on(pl.col("person.birth_date"), pl.col("as_of")).alias(AGE),
        reference.alias(REFERENCE),
        (start.cast(pl.Int64) + length - credit).alias(RELEASE_DAY),
        _hold_active(lengths["holds"]),
        *(e for name in SPREAD for e in _spread(name, lengths[name])),
        *(
            add_months(reference, m).cast(pl.Int64).alias(months_after_reference(m))
            for m in sorted(set(months))
        ),
    )
    return derived, lengths
