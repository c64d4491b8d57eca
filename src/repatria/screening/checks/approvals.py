"""Approval by the governments concerned, for a whole roster at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from repatria.screening.checks.base import FAIL, UNKNOWN, Columns, decide, vector_check


@vector_check("both-states-approve")
def both_states_approve(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Both states approved on or before the date; a later approval fails, none is unknown."""
    sending, receiving = (
        columns.col("approvals.sending_state"),
        columns.col("approvals.receiving_state"),
    )
    return decide(
        ((sending > columns.as_of) | (receiving > columns.as_of), FAIL),
        (sending.is_null() | receiving.is_null(), UNKNOWN),
    )


@vector_check("sentencing-us-state-approves")
def sentencing_us_state_approves(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A prisoner of a US state also needs that state's approval."""
    state_prisoner, approved = (
        columns.col("sentence.state_prisoner"),
        columns.col("approvals.us_state"),
    )
    return decide(
        (state_prisoner.is_null(), UNKNOWN),
        (state_prisoner & approved.is_null(), UNKNOWN),
        (state_prisoner & (approved > columns.as_of), FAIL),
    )
