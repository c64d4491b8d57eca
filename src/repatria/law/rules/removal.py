"""Removal safeguards: a final order, a designated country, no protection order, no hold."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from repatria.law.rules.base import Finding, RuleContext, check, failed, passed, unknown

_UNDECIDED = (None, "pending", "screened_positive")


@check("removal-order-final")
def removal_order_final(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A final order of removal exists."""
    order = ctx.document.removal_order
    if order is None or order.final is None:
        return unknown("no removal order on file, or its finality not known")
    return (
        passed("a final order of removal")
        if order.final
        else failed("the removal order is not final")
    )


@check("destination-designated")
def destination_designated(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """The destination is a country the removal order designates."""
    order, to_state = ctx.document.removal_order, ctx.document.to_state
    if order is None or order.designated_countries is None:
        return unknown(f"the countries designated in the removal order are not known ({to_state}?)")
    if to_state in order.designated_countries:
        return passed(f"{to_state} is designated in the removal order")
    designated = ", ".join(order.designated_countries) or "none"
    return failed(f"{to_state} is not designated in the removal order ({designated})")


def _in_force(issued: date | None, ended: date | None, on: date) -> bool:
    return (issued is None or issued <= on) and (ended is None or ended > on)


def _days(ctx: RuleContext) -> list[date]:
    """The days a safeguard is checked on: as_of, and the day of departure where known."""
    departure = ctx.document.departure_at
    return [ctx.as_of] + ([departure.date()] if departure else [])


@check("no-protection-order")
def no_protection_order(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """No withholding or CAT order in force then or at departure bars removal there."""
    orders, to_state = ctx.document.protection_orders, ctx.document.to_state
    if orders is None:
        return unknown(f"not known whether a protection order bars removal to {to_state}")
    for order in orders:
        for day in _days(ctx):
            if order.country == to_state and _in_force(order.issued_on, order.terminated_on, day):
                issued = f" issued {order.issued_on}" if order.issued_on else ""
                return failed(
                    f"a {order.kind or 'protection'} order{issued} bars removal to {to_state}"
                    f" (in force on {day})"
                )
    return passed(f"no protection order in force for {to_state}")


@check("no-active-hold")
def no_active_hold(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """No court order (TRO, injunction, stay, pending habeas) in force then or at departure."""
    holds = ctx.document.holds
    if holds is None:
        return unknown("not known whether any court order stops the movement")
    for hold in holds:
        for day in _days(ctx):
            if _in_force(hold.issued_on, hold.lifted_on, day):
                issued = f" issued {hold.issued_on}" if hold.issued_on else ""
                return failed(f"a {hold.kind or 'court order'}{issued} is in force on {day}")
    return passed("no court order stops the movement")


@check("fear-claim-decided")
def fear_claim_decided(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A fear claim raised and not yet decided stops the movement."""
    claim = ctx.document.fear_claim
    if claim is None or claim.raised is None:
        return unknown("not known whether a fear claim was raised")
    if not claim.raised:
        return passed("no fear claim raised")
    if claim.outcome in _UNDECIDED:
        return failed(f"a fear claim was raised and is undecided ({claim.outcome or 'no outcome'})")
    return passed(f"the fear claim was decided ({claim.outcome})")


@check("fear-claim-not-granted")
def fear_claim_not_granted(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A fear claim decided in the person's favour bars removal to the destination."""
    claim = ctx.document.fear_claim
    if claim is None or claim.raised is None:
        return unknown("not known whether a fear claim was raised")
    if claim.raised and claim.outcome == "granted":
        return failed(
            f"a fear claim was granted: protection from removal to {ctx.document.to_state}"
        )
    if claim.raised and claim.outcome in _UNDECIDED:
        return passed("not granted: the claim is still undecided, which is a hold")
    return passed("no fear claim was granted")
