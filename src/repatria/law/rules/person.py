"""Checks on who the person is: nationality, domicile, citizenship, enemy-alien status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repatria.law.arithmetic import age_on
from repatria.law.rules.base import (
    Finding,
    RuleContext,
    check,
    failed,
    is_bool,
    is_int,
    is_number,
    is_str_list,
    passed,
    unknown,
)


@check("national-of-receiving-state")
def national_of_receiving_state(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """The person is a national of the state that is to receive them."""
    to_state, citizenships = ctx.document.to_state, ctx.citizenships
    if citizenships is None:
        return unknown(f"the person's citizenships are not known; they must include {to_state}")
    if to_state in citizenships:
        return passed(f"national of {to_state}")
    return failed(
        f"not a national of {to_state} (citizenships: {', '.join(citizenships) or 'none'})"
    )


@check("not-domiciliary", minimum_years=is_number)
def not_domiciliary(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Not a domiciliary of the sending state: present N years with intent to remain."""
    person, minimum = ctx.document.person, params["minimum_years"]
    years, intends = person.years_in_sending_state, person.intends_to_remain
    place = ctx.document.from_state
    if years is not None and years < minimum:
        return passed(
            f"lived in {place} {years:g} years, under the {minimum:g} that make a domicile"
        )
    if intends is False:
        return passed(f"no intent to remain permanently in {place}, so not a domiciliary")
    if years is None or intends is None:
        return unknown(f"years in {place} or intent to remain there not known")
    return failed(f"lived in {place} {years:g} years with intent to remain: a domiciliary")


@check("not-a-citizen-of-sending-state")
def not_a_citizen(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A citizen or national of the sending state may never be removed from it."""
    from_state, citizenships = ctx.document.from_state, ctx.citizenships
    if citizenships is None:
        return unknown(
            f"citizenships not known; a citizen or national of {from_state} is never removed"
        )
    if from_state in citizenships:
        return failed(f"a citizen or national of {from_state}, who may not be removed from it")
    return passed(f"not a citizen or national of {from_state}")


@check("enemy-alien", nations=is_str_list, minimum_age=is_int, excludes_permanent_residents=is_bool)
def enemy_alien(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A citizen of a nation named in a proclamation in force, old enough, not excluded by it."""
    person, nations = ctx.document.person, params["nations"]
    if not nations:
        return failed(f"no proclamation under the Act names any nation on {ctx.as_of}")
    if ctx.citizenships is None or person.birth_date is None:
        return unknown("citizenships or birth date not known")
    enemy = sorted(set(ctx.citizenships) & set(nations))
    if not enemy:
        return failed(f"not a citizen of a nation named in a proclamation ({', '.join(nations)})")
    age = age_on(person.birth_date, ctx.as_of)
    if age < params["minimum_age"]:
        return failed(
            f"aged {age} on {ctx.as_of}; the proclamation reaches {params['minimum_age']} and over"
        )
    if params["excludes_permanent_residents"]:
        if person.lawful_permanent_resident is None:
            return unknown("whether the person is a lawful permanent resident is not known")
        if person.lawful_permanent_resident:
            return failed("a lawful permanent resident, whom the proclamation excludes")
    return passed(f"citizen of {', '.join(enemy)}, aged {age}, within the proclamation")


@check("eu-forwarding-destination")
def eu_forwarding_destination(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A judgment goes to the state of nationality where the person lives or will be
    deported, or to another member state that consents to take it."""
    doc, citizenships = ctx.document, ctx.citizenships
    person, to_state = doc.person, doc.to_state
    national = None if citizenships is None else to_state in citizenships
    if national and person.residence_country == to_state:
        return passed(f"a national of {to_state} who lives there")
    if national and person.deportation_country == to_state:
        return passed(f"a national of {to_state}, to be deported there on release")
    approvals = doc.approvals
    if approvals and approvals.receiving_state and approvals.receiving_state <= ctx.as_of:
        return passed(f"{to_state} consented to take the judgment on {approvals.receiving_state}")
    if national is None:
        return unknown(f"citizenships not known; is the person a national of {to_state}?")
    if national and person.residence_country is None:
        return unknown(f"a national of {to_state}; where the person lives is not known")
    return failed(
        f"{to_state} is neither a state of nationality where the person lives or will be"
        " deported, nor a state that has consented"
    )
