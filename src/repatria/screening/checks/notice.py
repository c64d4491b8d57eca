"""Notice of removal: content, language and time before departure, for a whole roster."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from repatria.screening.checks.base import FAIL, UNKNOWN, Columns, any_of, decide, vector_check


@vector_check("notice-content")
def notice_content(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Written notice naming the destination and meeting each content requirement."""
    served, country = columns.col("notice.served_at"), columns.col("notice.country")
    # As `law.rules.notice._stated`: a notice naming no known country leaves that unknown.
    required = [
        pl.when(country.is_not_null()).then(True)
        if name == "names_destination"
        else columns.col(f"notice.{name}")
        for name in params["requires"]
    ]
    return decide(
        (served.is_null(), UNKNOWN),
        (country.is_not_null() & (country != columns.to_state), FAIL),
        (any_of(value.eq(False) for value in required), FAIL),
        (any_of(value.is_null() for value in required), UNKNOWN),
    )


@vector_check("notice-in-time")
def notice_in_time(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Notice served at least the minimum number of hours before departure."""
    served, departure = columns.col("notice.served_at"), columns.col("departure_at")
    # The same float arithmetic as timedelta.total_seconds() / 3600 in the per-case check.
    seconds = (departure - served).dt.total_microseconds().cast(pl.Float64) / 1_000_000
    hours = seconds / 3600
    return decide(
        (served.is_null(), UNKNOWN),
        (departure.is_null(), UNKNOWN),
        (hours < params["hours"], FAIL),
    )
