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
from repatria.law.language import Language, country, day_in, joined, term
from repatria.law.schema import Rule
from repatria.law.terms import GROUNDS

EXCEPTIONS = "exceptions"


def _agreement(language: Language, entry: Any) -> str:
    by = joined((country(language, state) for state in entry.by), "and", language)
    reason = f": {entry.reason}" if entry.reason else ""  # the states' own words, as given
    on = day_in(language, entry.agreed_on)
    if language == "es":
        ground = term(GROUNDS, language, entry.ground)
        return f"la excepción en materia de {ground} convenida por {by} el {on}{reason}"
    return f"the {entry.ground} exception agreed by {by} on {on}{reason}"


def _why_not(language: Language, entry: Any, from_state: str, to_state: str, as_of: date) -> str:
    missing = [
        country(language, state) for state in (from_state, to_state) if state not in entry.by
    ]
    agreement = _agreement(language, entry)
    sending, receiving = country(language, from_state), country(language, to_state)
    if missing and language == "es":
        return (
            f"{agreement} carece del acuerdo de {joined(missing, 'and', language)}:"
            f" deben convenirla tanto {sending} como {receiving}"
        )
    if missing:
        return (
            f"{agreement} lacks the agreement of {' and '.join(missing)}:"
            f" both {sending} and {receiving} must agree"
        )
    if language == "es":
        return f"{agreement} es posterior al {day_in(language, as_of)}"
    return f"{agreement} comes after {as_of}"


def with_exceptions(decision: Decide, rule: Rule, rule_id: str) -> Decide:
    """The rule's decision, with the exceptions on file for its ground applied."""
    on_ground = Member("ground").eq(rule.ground)
    claimed = AnyEntry(EXCEPTIONS, on_ground)
    if rule.waivable is None:
        return decide(
            (
                fails(decision) & claimed,
                failing(
                    "{reason}; the exception on file changes nothing: {rule} may not be waived",
                    es="{reason}; la excepción registrada no cambia nada: {rule} no admite"
                    " dispensa",
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
        (
            fails(decision) & agreed,
            waived(
                "{reason}; waived by {agreement}, as {allows} allows",
                es="{reason}; dispensado por {agreement}, como lo permite {allows}",
            ),
        ),
        (
            fails(decision) & claimed,
            failing(
                "{reason}; the exception on file changes nothing: {why}",
                es="{reason}; la excepción registrada no cambia nada: {why}",
            ),
        ),
        otherwise=decision,
        reason=ReasonOf(decision),
        agreement=text(_agreement, FirstEntry(agreed)),
        allows=rule.waivable.citation.render(),
        why=text(_why_not, FirstEntry(claimed), FROM, TO, AS_OF),
    )
