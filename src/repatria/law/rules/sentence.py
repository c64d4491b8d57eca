"""Checks on the sentence: offence, finality, time left, dual criminality, death penalty."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repatria.law.arithmetic import describe_span, has_months_left, months_and_days, release_date
from repatria.law.rules.base import (
    Finding,
    RuleContext,
    check,
    failed,
    is_bool,
    is_int,
    is_str_list,
    passed,
    unknown,
)


@check("offense-not-excluded", categories=is_str_list)
def offense_not_excluded(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """The offence is not in a category the instrument excludes."""
    category = ctx.document.sentence.offense_category
    if category is None:
        return unknown(f"offence category not known; excluded: {', '.join(params['categories'])}")
    if category in params["categories"]:
        return failed(f"a {category} offence, which this authority excludes")
    return passed(f"a {category} offence is not excluded")


@check("final-judgment", collateral_attack_blocks=is_bool)
def final_judgment(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """The judgment is final: no appeal (nor, where it counts, collateral attack) pending."""
    sentence = ctx.document.sentence
    if sentence.final is False:
        return failed("the judgment is not final")
    if sentence.appeal_pending:
        return failed("an appeal is pending")
    blocks = params["collateral_attack_blocks"]
    if blocks and sentence.collateral_attack_pending:
        return failed("a collateral attack on the conviction or sentence is pending")
    facts = [sentence.final, sentence.appeal_pending]
    facts += [sentence.collateral_attack_pending] if blocks else []
    if any(fact is None for fact in facts):
        return unknown("finality, a pending appeal or a pending collateral attack is not known")
    return passed("final, with nothing pending")


@check("minimum-time-left", months=is_int)
def minimum_time_left(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """At least N calendar months left on the day the request was received, or indeterminate."""
    sentence, months = ctx.document.sentence, params["months"]
    received = ctx.document.request_received_on
    reference = received or ctx.as_of
    when = f"on {reference}" + ("" if received else " (as_of: no request date given)")
    if sentence.indeterminate:
        return passed("an indeterminate sentence meets any minimum")
    if sentence.start_date is None or sentence.length_days is None:
        return unknown(f"start date or length of the sentence not known; {months} months needed")
    # Credits only shorten a sentence: without them, a sentence too short now stays too short.
    release = release_date(sentence.start_date, sentence.length_days, sentence.credit_days or 0)
    if release <= reference:
        return failed(
            f"the sentence ended on {release}, before {reference}; the minimum is {months} months"
        )
    left = describe_span(*months_and_days(reference, release))
    if not has_months_left(reference, release, months):
        return failed(f"{left} left {when}; the minimum is {months} months")
    if sentence.credit_days is None:
        return unknown(f"{left} left {when} before credits, which are not known")
    return passed(f"{left} left {when}; the minimum is {months} months")


@check("dual-criminality")
def dual_criminality(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """The acts are an offence in the receiving state too."""
    value = ctx.document.sentence.dual_criminality
    if value is None:
        return unknown(f"not known whether the acts are an offence in {ctx.document.to_state}")
    if value:
        return passed(f"the acts are an offence in {ctx.document.to_state} too")
    return failed(f"the acts are not an offence in {ctx.document.to_state}")


@check("no-death-sentence")
def no_death_sentence(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """The sentence to be served is not the death penalty."""
    value = ctx.document.sentence.death_sentence
    if value is None:
        return unknown("not known whether the sentence is a death sentence")
    return failed("the sentence is the death penalty") if value else passed("not a death sentence")


@check("no-pending-charges")
def no_pending_charges(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """No other criminal charges are pending against the person."""
    value = ctx.document.sentence.other_charges_pending
    if value is None:
        return unknown("not known whether other charges are pending")
    return failed("other charges are pending") if value else passed("no other charges pending")
