"""Facts computed once per document before screening: they do not depend on the authority.

The derived values (`law.checks.vocabulary`: age, reference day, release date) are compiled
from their one definition; lists of country codes are spread into one column per position
(`_citizenship0`, ...), which the compiled checks compare with the row's `to` and `from`.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from repatria.screening.arithmetic import add_months
from repatria.screening.compile import (
    SPREAD,
    derived_columns,
    known_column,
    months_after_reference,
    spread_column,
)

LISTS = [*SPREAD, "holds", "protection_orders", "exceptions"]


def longest(roster: pl.DataFrame, list_name: str) -> int:
    """The most entries any document has in a list column (0 where the roster has none)."""
    if list_name not in roster.columns:
        return 0
    return int(roster.select(pl.col(list_name).list.len().max().fill_null(0)).item())


def _spread(list_name: str, entries: int) -> list[pl.Expr]:
    listed = pl.col(list_name)
    spread = [listed.is_not_null().alias(known_column(list_name))]
    for k in range(entries):
        spread.append(listed.list.get(k, null_on_oob=True).alias(spread_column(list_name, k)))
    return spread


def with_derived(
    roster: pl.DataFrame, months: Iterable[int] = ()
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The roster with the per-document facts checks share, and the longest list of each kind.

    `months`: the minimum-time-left values the law uses, precomputed once per document.
    """
    lengths = {name: longest(roster, name) for name in LISTS}
    derived = roster.with_columns(
        *derived_columns(), *(e for name in SPREAD for e in _spread(name, lengths[name]))
    )
    reference = pl.col("_reference")
    return derived.with_columns(
        add_months(reference, m).alias(months_after_reference(m)) for m in sorted(set(months))
    ), lengths
