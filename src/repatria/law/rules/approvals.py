"""Checks that the governments concerned have approved the transfer by the date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from repatria.law.rules.base import Finding, RuleContext, check, failed, passed, unknown


def _approval(label: str, on: date | None, as_of: date) -> Finding:
    if on is None:
        return unknown(f"no approval by {label} on file")
    if on > as_of:
        return failed(f"{label} approved on {on}, after {as_of}")
    return passed(f"{label} approved on {on}")


@check("both-states-approve")
def both_states_approve(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Both the sending and the receiving state have agreed to the transfer."""
    approvals, doc = ctx.document.approvals, ctx.document
    if approvals is None:
        return unknown(f"no approvals on file from {doc.from_state} or {doc.to_state}")
    findings = [
        _approval(f"the sending state ({doc.from_state})", approvals.sending_state, ctx.as_of),
        _approval(f"the receiving state ({doc.to_state})", approvals.receiving_state, ctx.as_of),
    ]
    for outcome in ("fail", "unknown"):
        reasons = [f.reason for f in findings if f.outcome == outcome]
        if reasons:
            return Finding(outcome, "; ".join(reasons))
    return passed("; ".join(f.reason for f in findings))


@check("sentencing-us-state-approves")
def sentencing_us_state_approves(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A prisoner of a US state also needs that state's approval."""
    state_prisoner = ctx.document.sentence.state_prisoner
    if state_prisoner is None:
        return unknown("not known whether the person is a state (rather than federal) prisoner")
    if not state_prisoner:
        return passed("a federal prisoner: no US state approval needed")
    approvals = ctx.document.approvals
    return _approval(
        "the sentencing US state", approvals.us_state if approvals else None, ctx.as_of
    )
