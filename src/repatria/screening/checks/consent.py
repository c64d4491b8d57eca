"""Consent: who gave it, whether it was verified, and exemptions, for a whole roster."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from repatria.screening.checks.base import (
    FAIL,
    PASS,
    UNKNOWN,
    Columns,
    decide,
    in_list,
    vector_check,
    yes,
)
from repatria.screening.checks.exemptions import exemption_applies
from repatria.screening.derived import AGE


def _needs_representative(columns: Columns, majority: int) -> pl.Expr:
    """True (a minor or not competent), False (a competent adult) or null (cannot tell)."""
    birth, competent = columns.col("person.birth_date"), columns.col("person.competent")
    minor = yes(columns.col(AGE) < majority)
    return (
        pl.when(minor | yes(competent.eq(False)))
        .then(pl.lit(True))
        .when(birth.is_null() | competent.is_null())
        .then(pl.lit(None, pl.Boolean))
        .otherwise(pl.lit(False))
    )


def consent_outcome(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Consent by the right person (a representative for a minor or incompetent), verified."""
    given_by = columns.col("consent.given_by")
    verified_on = columns.col("consent.verified_on")
    needs = _needs_representative(columns, params["age_of_majority"])
    personal = given_by == "person"
    return decide(
        (given_by.is_null(), UNKNOWN),
        (personal & needs.eq(True), FAIL),
        (~personal & needs.eq(False), FAIL),
        (~personal & ~in_list(given_by, params["representatives"]), FAIL),
        (needs.is_null(), UNKNOWN),
        (verified_on.is_null(), UNKNOWN),
        (verified_on > columns.as_of, FAIL),
    )


@vector_check("consent")
def consent_given(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The person's consent (or a representative's where needed), verified by the date."""
    return consent_outcome(columns, params)


@vector_check("consent-verifier")
def consent_verifier(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Consent verified by an officer the US statute names for the direction of transfer."""
    verified_by = columns.col("consent.verified_by")
    outbound = yes(columns.from_state == "US")
    allowed = (
        pl.when(outbound)
        .then(in_list(verified_by, params["outbound"]))
        .otherwise(in_list(verified_by, params["inbound"]))
    )
    return decide((verified_by.is_null(), UNKNOWN), (~allowed, FAIL))


@vector_check("consent-unless-exempt")
def consent_unless_exempt(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Consent as usual, unless a named exemption (fled, expelled, resident...) applies."""
    exempt = exemption_applies(columns, params["exemptions"])
    found = consent_outcome(columns, params)
    return (
        pl.when(yes(exempt))
        .then(pl.lit(PASS))
        .when(exempt.is_null() & (found != PASS))
        .then(pl.lit(UNKNOWN))
        .otherwise(found)
        .cast(pl.UInt8)
    )


@vector_check("opinion-when-exempt")
def opinion_when_exempt(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Where consent is not needed, the person's opinion must be on record."""
    opinion = columns.col("consent.opinion_recorded")
    exempt = exemption_applies(columns, params["exemptions"])
    return decide(
        (opinion.eq(True), PASS),
        (columns.col("consent.given_by").is_not_null(), PASS),
        (exemption_applies(columns, params["unless"]).eq(True), PASS),
        (exempt.eq(False), PASS),
        (exempt.is_null(), UNKNOWN),
        (opinion.is_null(), UNKNOWN),
        otherwise=FAIL,
    )
