"""Removal safeguards for a whole roster: order, destination, protection orders, holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from repatria.screening.checks.base import FAIL, PASS, UNKNOWN, Columns, decide, vector_check
from repatria.screening.derived import HOLD_ACTIVE, ORDERS, known_column

_UNDECIDED = ("pending", "screened_positive")


@vector_check("removal-order-final")
def removal_order_final(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A final order of removal exists."""
    final = columns.col("removal_order.final")
    return decide((final.is_null(), UNKNOWN), (final, PASS), otherwise=FAIL)


@vector_check("destination-designated")
def destination_designated(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The destination is a country the removal order designates."""
    designated = columns.listed("removal_order.designated_countries", columns.to_state)
    return decide((designated.is_null(), UNKNOWN), (designated, PASS), otherwise=FAIL)


@vector_check("no-protection-order")
def no_protection_order(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """No withholding or CAT order in force then or at departure bars removal there."""
    # Orders by position, each with its country only where it is in force (as_of, departure).
    known = columns.col(known_column(ORDERS))
    return decide((~known, UNKNOWN), (columns.order_bars(columns.to_state), FAIL))


@vector_check("no-active-hold")
def no_active_hold(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """No court order (TRO, injunction, stay, pending habeas) in force then or at departure."""
    active = columns.col(HOLD_ACTIVE)  # null when the holds are not known
    return decide((active.is_null(), UNKNOWN), (active, FAIL))


@vector_check("fear-claim-decided")
def fear_claim_decided(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A fear claim raised and not yet decided stops the movement."""
    raised, outcome = columns.col("fear_claim.raised"), columns.col("fear_claim.outcome")
    undecided = outcome.is_null() | outcome.is_in(pl.Series(_UNDECIDED).implode())
    return decide((raised.is_null(), UNKNOWN), (raised.eq(False), PASS), (undecided, FAIL))


@vector_check("fear-claim-not-granted")
def fear_claim_not_granted(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A fear claim decided in the person's favour bars removal to the destination."""
    raised, outcome = columns.col("fear_claim.raised"), columns.col("fear_claim.outcome")
    return decide((raised.is_null(), UNKNOWN), (raised.eq(True) & (outcome == "granted"), FAIL))
