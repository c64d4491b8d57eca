"""Checks on the person's consent: who gave it, whether it was verified, and exemptions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repatria.law.arithmetic import age_on
from repatria.law.rules.base import (
    Finding,
    RuleContext,
    check,
    failed,
    is_int,
    is_str_list,
    passed,
    unknown,
)
from repatria.law.rules.exemptions import EXEMPTIONS, exemption_applies


def _needs_representative(ctx: RuleContext, majority: int) -> tuple[bool | None, str]:
    person = ctx.document.person
    if person.birth_date is not None and age_on(person.birth_date, ctx.as_of) < majority:
        return True, f"aged {age_on(person.birth_date, ctx.as_of)} on {ctx.as_of}"
    if person.competent is False:
        return True, "found not competent to consent"
    if person.birth_date is None or person.competent is None:
        return None, "age or competence not known"
    return False, f"an adult (aged {age_on(person.birth_date, ctx.as_of)}) found competent"


def consent_finding(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Consent by the right person (a representative for a minor or incompetent), verified."""
    consent = ctx.document.consent
    if consent is None or consent.given_by is None:
        return unknown("no consent on file")
    needs, who = _needs_representative(ctx, params["age_of_majority"])
    representatives = params["representatives"]
    if consent.given_by == "person" and needs:
        return failed(f"{who}: consent must come from {' or '.join(representatives)}")
    if consent.given_by != "person" and needs is False:
        return failed(f"{who}, who must consent personally, not through a {consent.given_by}")
    if consent.given_by != "person" and consent.given_by not in representatives:
        return failed(f"a {consent.given_by} may not consent here ({' or '.join(representatives)})")
    if needs is None:
        return unknown(f"{who}: cannot tell who must consent")
    if consent.verified_on is None:
        return unknown(f"consent given by the {consent.given_by} but not yet verified")
    if consent.verified_on > ctx.as_of:
        return failed(f"consent verified on {consent.verified_on}, after {ctx.as_of}")
    return passed(
        f"consent given by the {consent.given_by} ({who}), verified {consent.verified_on}"
    )


@check("consent", representatives=is_str_list, age_of_majority=is_int)
def consent_given(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """The person's consent (or a representative's where needed), verified by the date."""
    return consent_finding(ctx, params)


@check("consent-verifier", outbound=is_str_list, inbound=is_str_list)
def consent_verifier(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Consent verified by an officer the US statute names for the direction of transfer."""
    consent = ctx.document.consent
    outbound = ctx.document.from_state == "US"
    allowed = params["outbound" if outbound else "inbound"]
    direction = "out of" if outbound else "into"
    if consent is None or consent.verified_by is None:
        return unknown(f"no verifying officer on file; a transfer {direction} the US needs one")
    if consent.verified_by not in allowed:
        return failed(
            f"verified by a {consent.verified_by}; a transfer {direction} the US needs"
            f" a {' or '.join(allowed)}"
        )
    return passed(f"verified by a {consent.verified_by}")


def _exemption_names(value: object) -> bool:
    return isinstance(value, list) and all(name in EXEMPTIONS for name in value)


@check(
    "consent-unless-exempt",
    representatives=is_str_list,
    age_of_majority=is_int,
    exemptions=_exemption_names,
)
def consent_unless_exempt(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Consent as usual, unless a named exemption (fled, expelled, resident...) applies."""
    exempt, label = exemption_applies(ctx.document, params["exemptions"])
    if exempt:
        return passed(f"consent not required: the person is {label}")
    found = consent_finding(ctx, params)
    if exempt is None and found.outcome != "pass":
        return unknown(f"{found.reason}; not known whether the person is {label}")
    return found


@check("opinion-when-exempt", exemptions=_exemption_names, unless=_exemption_names)
def opinion_when_exempt(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Where consent is not needed, the person's opinion must be on record."""
    consent = ctx.document.consent
    if consent is not None and consent.opinion_recorded:
        return passed("the person's opinion is on record")
    if consent is not None and consent.given_by is not None:
        return passed(f"consent given by the {consent.given_by}, which states the person's view")
    other_route, other_label = exemption_applies(ctx.document, params["unless"])
    if other_route:
        return passed(f"the person is {other_label}: no opinion needs recording")
    exempt, label = exemption_applies(ctx.document, params["exemptions"])
    if exempt is False:
        return passed("consent is required instead, so no separate opinion is needed")
    if exempt is None:
        return unknown(f"not known whether the person is {label}, nor is an opinion on record")
    if consent is None or consent.opinion_recorded is None:
        return unknown(f"the person is {label}; whether their opinion was recorded is not known")
    return failed(f"the person is {label}, and their opinion was not recorded")
