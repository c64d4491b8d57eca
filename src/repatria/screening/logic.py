"""Three-valued conditions as Polars columns: null is unknown, and only true holds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl


def yes(condition: pl.Expr) -> pl.Expr:
    """True where a condition holds; an unknown (null) condition does not hold."""
    return condition.fill_null(False)


def in_list(value: pl.Expr, values: Iterable[Any]) -> pl.Expr:
    """Whether a value is one of a constant list (false for a null value)."""
    listed = list(values)
    if not listed:
        return pl.lit(False)
    return yes(value.is_in(pl.Series(listed).implode()))


def any_of(conditions: Iterable[pl.Expr]) -> pl.Expr:
    """True where any of the conditions holds (false for none)."""
    listed = [yes(condition) for condition in conditions]
    return pl.any_horizontal(*listed) if listed else pl.lit(False)
