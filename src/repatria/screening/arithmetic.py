"""Calendar arithmetic on date columns, matching `repatria.law.arithmetic` day for day."""

from __future__ import annotations

import polars as pl


def add_months(start: pl.Expr, months: int) -> pl.Expr:
    """The same day `months` calendar months later, clamped to the month's last day."""
    # Polars clamps a day past the month's end to its last day, as `law.arithmetic.add_months`.
    return start.dt.offset_by(f"{months}mo")


def age_on(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Age in completed years on a date (a 29 February birthday falls on 1 March)."""
    before_birthday = (on.dt.month().cast(pl.Int32) * 100 + on.dt.day()) < (
        birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day()
    )
    return on.dt.year() - birth.dt.year() - before_birthday.cast(pl.Int32)
