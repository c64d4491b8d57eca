"""Checks on the sentence: offence, finality, time left, dual criminality, death penalty."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from repatria.law.arithmetic import describe_span, months_and_days
from repatria.law.checks.base import check, is_bool, is_int, is_str_list
from repatria.law.checks.vocabulary import CREDIT_DAYS, RECEIVED, REFERENCE, RELEASE
from repatria.law.expr import (
    AddMonths,
    Decide,
    Field,
    any_of,
    decide,
    failing,
    passing,
    text,
    unknown,
)
from repatria.law.schema import Authority

SENTENCE = "sentence."


def _sentence(name: str) -> Field:
    return Field(SENTENCE + name)


@check("offense-not-excluded", categories=is_str_list)
def offense_not_excluded(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The offence is not in a category the instrument excludes."""
    category = _sentence("offense_category")
    return decide(
        (category.is_null(), unknown("offence category not known; excluded: {excluded}")),
        (
            category.is_in(params["categories"]),
            failing("a {category} offence, which this authority excludes"),
        ),
        otherwise=passing("a {category} offence is not excluded"),
        category=category,
        excluded=", ".join(params["categories"]),
    )


@check("final-judgment", collateral_attack_blocks=is_bool)
def final_judgment(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The judgment is final: no appeal (nor, where it counts, collateral attack) pending."""
    final, appeal = _sentence("final"), _sentence("appeal_pending")
    collateral = _sentence("collateral_attack_pending")
    blocks = params["collateral_attack_blocks"]
    facts = [final, appeal, *([collateral] if blocks else [])]
    collateral_fails = (
        [
            (
                collateral.eq(True),
                failing("a collateral attack on the conviction or sentence is pending"),
            )
        ]
        if blocks
        else []
    )
    return decide(
        (final.eq(False), failing("the judgment is not final")),
        (appeal.eq(True), failing("an appeal is pending")),
        *collateral_fails,
        (
            any_of(*(fact.is_null() for fact in facts)),
            unknown("finality, a pending appeal or a pending collateral attack is not known"),
        ),
        otherwise=passing("final, with nothing pending"),
    )


def _left(reference: date, release: date) -> str:
    return describe_span(*months_and_days(reference, release))


def _when(reference: date, received: date | None) -> str:
    return f"on {reference}" + ("" if received else " (as_of: no request date given)")


@check("minimum-time-left", months=is_int)
def minimum_time_left(params: Mapping[str, Any], authority: Authority) -> Decide:
    """At least N calendar months left on the day the request was received, or indeterminate."""
    months = params["months"]
    return decide(
        (
            _sentence("indeterminate").eq(True),
            passing("an indeterminate sentence meets any minimum"),
        ),
        (
            RELEASE.is_null(),
            unknown("start date or length of the sentence not known; {months} months needed"),
        ),
        (
            RELEASE <= REFERENCE,
            failing(
                "the sentence ended on {release}, before {reference};"
                " the minimum is {months} months"
            ),
        ),
        (
            AddMonths(REFERENCE, months) > RELEASE,
            failing("{left} left {when}; the minimum is {months} months"),
        ),
        (CREDIT_DAYS.is_null(), unknown("{left} left {when} before credits, which are not known")),
        otherwise=passing("{left} left {when}; the minimum is {months} months"),
        months=months,
        release=RELEASE,
        reference=REFERENCE,
        left=text(_left, REFERENCE, RELEASE),
        when=text(_when, REFERENCE, RECEIVED),
    )


@check("dual-criminality")
def dual_criminality(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The acts are an offence in the receiving state too."""
    value = _sentence("dual_criminality")
    return decide(
        (value.is_null(), unknown("not known whether the acts are an offence in {to}")),
        (value.eq(True), passing("the acts are an offence in {to} too")),
        otherwise=failing("the acts are not an offence in {to}"),
    )


@check("no-death-sentence")
def no_death_sentence(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The sentence to be served is not the death penalty."""
    value = _sentence("death_sentence")
    return decide(
        (value.is_null(), unknown("not known whether the sentence is a death sentence")),
        (value.eq(True), failing("the sentence is the death penalty")),
        otherwise=passing("not a death sentence"),
    )


@check("no-pending-charges")
def no_pending_charges(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No other criminal charges are pending against the person."""
    value = _sentence("other_charges_pending")
    return decide(
        (value.is_null(), unknown("not known whether other charges are pending")),
        (value.eq(True), failing("other charges are pending")),
        otherwise=passing("no other charges pending"),
    )
