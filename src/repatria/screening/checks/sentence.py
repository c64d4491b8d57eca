"""The sentence, for a whole roster: offence, finality, time left, dual criminality, death."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from repatria.screening.arithmetic import add_months
from repatria.screening.checks.base import (
    FAIL,
    PASS,
    UNKNOWN,
    Columns,
    decide,
    in_list,
    vector_check,
)
from repatria.screening.derived import REFERENCE, RELEASE_DAY, months_after_reference


@vector_check("offense-not-excluded")
def offense_not_excluded(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The offence is not in a category the instrument excludes."""
    category = columns.col("sentence.offense_category")
    return decide((category.is_null(), UNKNOWN), (in_list(category, params["categories"]), FAIL))


@vector_check("final-judgment")
def final_judgment(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The judgment is final: no appeal (nor, where it counts, collateral attack) pending."""
    final = columns.col("sentence.final")
    appeal = columns.col("sentence.appeal_pending")
    collateral = columns.col("sentence.collateral_attack_pending")
    blocks = bool(params["collateral_attack_blocks"])
    unknown = final.is_null() | appeal.is_null()
    if blocks:
        unknown = unknown | collateral.is_null()
    return decide(
        (final.eq(False), FAIL),
        (appeal.eq(True), FAIL),
        (pl.lit(blocks) & collateral.eq(True), FAIL),
        (unknown, UNKNOWN),
    )


def after_months(columns: Columns, months: int) -> pl.Expr:
    """The reference day plus N calendar months (precomputed per document where possible)."""
    if months in columns.months:
        return columns.col(months_after_reference(months))
    return add_months(columns.col(REFERENCE), months).cast(pl.Int64)


@vector_check("minimum-time-left")
def minimum_time_left(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """At least N calendar months left on the day the request was received, or indeterminate."""
    months = params["months"]
    reference, release = columns.col(REFERENCE), columns.col(RELEASE_DAY)
    return decide(
        (columns.col("sentence.indeterminate").eq(True), PASS),
        (release.is_null(), UNKNOWN),  # start date or length not known
        (release <= reference.cast(pl.Int64), FAIL),
        (after_months(columns, months) > release, FAIL),
        (columns.col("sentence.credit_days").is_null(), UNKNOWN),
    )


@vector_check("dual-criminality")
def dual_criminality(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The acts are an offence in the receiving state too."""
    value = columns.col("sentence.dual_criminality")
    return decide((value.is_null(), UNKNOWN), (value.eq(False), FAIL))


@vector_check("no-death-sentence")
def no_death_sentence(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The sentence to be served is not the death penalty."""
    value = columns.col("sentence.death_sentence")
    return decide((value.is_null(), UNKNOWN), (value.eq(True), FAIL))


@vector_check("no-pending-charges")
def no_pending_charges(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """No other criminal charges are pending against the person."""
    value = columns.col("sentence.other_charges_pending")
    return decide((value.is_null(), UNKNOWN), (value.eq(True), FAIL))
