"""Checks on the person's consent: who gave it, whether it was verified, and exemptions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from repatria.law.checks.base import check, is_int, is_str_list
from repatria.law.checks.exemptions import exemption, is_exemption_list
from repatria.law.checks.vocabulary import (
    AGE_AT_TRANSFER,
    AS_OF,
    BIRTH_DATE,
    FROM,
    TRANSFER_DAY,
)
from repatria.law.expr import (
    Const,
    Decide,
    Field,
    IfElse,
    ReasonOf,
    decide,
    failing,
    passes,
    passing,
    text,
    unknown,
)
from repatria.law.schema import Authority

GIVEN_BY, VERIFIED_ON = Field("consent.given_by"), Field("consent.verified_on")
COMPETENT = Field("person.competent")


def _who(majority: int) -> Any:
    def words(birth: date | None, age: int | None, competent: bool | None, on: date) -> str:
        if age is not None and age < majority:
            return f"aged {age} on {on}"
        if competent is False:
            return "found not competent to consent"
        if birth is None or competent is None:
            return "age or competence not known"
        return f"an adult (aged {age}) found competent"

    return text(words, BIRTH_DATE, AGE_AT_TRANSFER, COMPETENT, TRANSFER_DAY)


def consent_decision(params: Mapping[str, Any]) -> Decide:
    """Consent by the right person (a representative for a minor or incompetent), verified."""
    majority, representatives = params["age_of_majority"], params["representatives"]
    # True (a minor, or not competent), False (a competent adult) or unknown.
    needs = IfElse(
        (majority > AGE_AT_TRANSFER) | COMPETENT.eq(False),
        Const(True),
        IfElse(BIRTH_DATE.is_null() | COMPETENT.is_null(), Const(None), Const(False)),
    )
    personal = GIVEN_BY.eq("person")
    return decide(
        (GIVEN_BY.is_null(), unknown("no consent on file")),
        (
            personal & needs.eq(True),
            failing("{who}: consent must come from {representatives}"),
        ),
        (
            ~personal & needs.eq(False),
            failing("{who}, who must consent personally, not through a {given_by}"),
        ),
        (
            ~personal & ~GIVEN_BY.is_in(representatives),
            failing("a {given_by} may not consent here ({representatives})"),
        ),
        (needs.is_null(), unknown("{who}: cannot tell who must consent")),
        (VERIFIED_ON.is_null(), unknown("consent given by the {given_by} but not yet verified")),
        (VERIFIED_ON > AS_OF, failing("consent verified on {verified_on}, after {as_of}")),
        otherwise=passing("consent given by the {given_by} ({who}), verified {verified_on}"),
        who=_who(majority),
        representatives=" or ".join(representatives),
        given_by=GIVEN_BY,
        verified_on=VERIFIED_ON,
    )


@check("consent", representatives=is_str_list, age_of_majority=is_int)
def consent_given(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The person's consent (or a representative's where needed), verified by the date."""
    return consent_decision(params)


@check("consent-verifier", outbound=is_str_list, inbound=is_str_list)
def consent_verifier(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Consent verified by an officer the US statute names for the direction of transfer."""
    verified_by = Field("consent.verified_by")
    outbound = FROM.eq("US")
    allowed = IfElse(
        outbound, verified_by.is_in(params["outbound"]), verified_by.is_in(params["inbound"])
    )
    return decide(
        (
            verified_by.is_null(),
            unknown("no verifying officer on file; a transfer {direction} the US needs one"),
        ),
        (
            ~allowed,
            failing(
                "verified by a {verified_by}; a transfer {direction} the US needs a {officers}"
            ),
        ),
        otherwise=passing("verified by a {verified_by}"),
        verified_by=verified_by,
        direction=IfElse(outbound, Const("out of"), Const("into")),
        officers=IfElse(
            outbound,
            Const(" or ".join(params["outbound"])),
            Const(" or ".join(params["inbound"])),
        ),
    )


_exemption_names = is_exemption_list


@check(
    "consent-unless-exempt",
    representatives=is_str_list,
    age_of_majority=is_int,
    exemptions=_exemption_names,
)
def consent_unless_exempt(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Consent as usual, unless a named exemption (fled, expelled, resident...) applies."""
    exempt, label = exemption(params["exemptions"])
    found = consent_decision(params)
    return decide(
        (exempt.eq(True), passing("consent not required: the person is {label}")),
        (
            exempt.is_null() & ~passes(found),
            unknown("{consent}; not known whether the person is {label}"),
        ),
        otherwise=found,
        label=label,
        consent=ReasonOf(found),
    )


@check("opinion-when-exempt", exemptions=_exemption_names, unless=_exemption_names)
def opinion_when_exempt(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Where consent is not needed, the person's opinion must be on record."""
    opinion = Field("consent.opinion_recorded")
    other_route, other_label = exemption(params["unless"])
    exempt, label = exemption(params["exemptions"])
    return decide(
        (opinion.eq(True), passing("the person's opinion is on record")),
        (
            GIVEN_BY.is_known(),
            passing("consent given by the {given_by}, which states the person's view"),
        ),
        (other_route.eq(True), passing("the person is {other_label}: no opinion needs recording")),
        (
            exempt.eq(False),
            passing("consent is required instead, so no separate opinion is needed"),
        ),
        (
            exempt.is_null(),
            unknown("not known whether the person is {label}, nor is an opinion on record"),
        ),
        (
            opinion.is_null(),
            unknown("the person is {label}; whether their opinion was recorded is not known"),
        ),
        otherwise=failing("the person is {label}, and their opinion was not recorded"),
        given_by=GIVEN_BY,
        label=label,
        other_label=other_label,
    )
