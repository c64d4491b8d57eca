"""Exceptions both states agree: a failing rule the instrument lets them waive is `waived`.

One wrapper serves every rule, so the per-case engine and the roster compiler read it alike:
a failing check whose rule is waivable, covered by an exception on its ground agreed by both
states of the movement on or before as_of, is waived; any other exception on file for that
ground changes nothing, and the reason says why.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from repatria.law.checks.vocabulary import AS_OF, FROM, TO
from repatria.law.expr import (
    AnyEntry,
    Decide,
    FirstEntry,
    Member,
    MemberContains,
    ReasonOf,
    decide,
    failing,
    fails,
    text,
    waived,
)
from repatria.law.schema import Rule

EXCEPTIONS = "exceptions"


def _agreement(entry: Any) -> str:
    by = " and ".join(entry.by)
    reason = f": {entry.reason}" if entry.reason else ""
    return f"the {entry.ground} exception agreed by {by} on {entry.agreed_on}{reason}"


def _why_not(entry: Any, from_state: str, to_state: str, as_of: date) -> str:
    missing = [state for state in (from_state, to_state) if state not in entry.by]
    if missing:
        return (
            f"{_agreement(entry)} lacks the agreement of {' and '.join(missing)}:"
            f" both {from_state} and {to_state} must agree"
        )
    return f"{_agreement(entry)} comes after {as_of}"


def with_exceptions(decision: Decide, rule: Rule, rule_id: str) -> Decide:
    """The rule's decision, with the exceptions on file for its ground applied."""
    on_ground = Member("ground").eq(rule.ground)
    claimed = AnyEntry(EXCEPTIONS, on_ground)
    if rule.waivable is None:
        return decide(
            (
                fails(decision) & claimed,
                failing(
                    "{reason}; the exception on file changes nothing: {rule} may not be waived"
                ),
            ),
            otherwise=decision,
            reason=ReasonOf(decision),
            rule=rule_id,
        )
    agreed = AnyEntry(
        EXCEPTIONS,
        on_ground
        & MemberContains("by", FROM)
        & MemberContains("by", TO)
        & (Member("agreed_on") <= AS_OF),
    )
    return decide(
        (fails(decision) & agreed, waived("{reason}; waived by {agreement}, as {allows} allows")),
        (
            fails(decision) & claimed,
            failing("{reason}; the exception on file changes nothing: {why}"),
        ),
        otherwise=decision,
        reason=ReasonOf(decision),
        agreement=text(_agreement, FirstEntry(agreed)),
        allows=rule.waivable.citation.render(),
        why=text(_why_not, FirstEntry(claimed), FROM, TO, AS_OF),
    )
