"""Custody-agreement checks that rely on database facts: the contract and a free place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repatria.law.rules.base import (
    Finding,
    RuleContext,
    check,
    failed,
    is_str_list,
    passed,
    unknown,
)


@check("removal-basis", allowed=is_str_list)
def removal_basis(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """The person must be removable to the host under one of the removal authorities."""
    allowed = params["allowed"]
    chosen = ctx.document.removal_authority or allowed[0]
    if chosen not in allowed:
        return failed(f"{chosen} is not a basis for removal to a host ({', '.join(allowed)})")
    return passed(f"removal to {ctx.document.to_state} assessed under {chosen} (checks below)")


@check("contract-in-force")
def contract_in_force(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A custody contract in force on the date with room under its cap."""
    in_force, room = ctx.facts.contract_in_force, ctx.facts.contract_has_room
    if in_force is False:
        return failed(f"no custody contract with {ctx.document.to_state} in force on {ctx.as_of}")
    if room is False:
        return failed("the custody contract has no room left under its cap")
    if in_force is None or room is None:
        return unknown("the custody contract and its cap are database facts not supplied")
    return passed("a custody contract is in force with room under its cap")


@check("standard-place-available")
def standard_place_available(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A place meeting the chosen space standard is free at the host facility."""
    available = ctx.facts.standard_place_available
    if available is None:
        return unknown("whether a standard-compliant place is free is a database fact not supplied")
    if available:
        return passed("a standard-compliant place is free")
    return failed("no place meeting the space standard is free")
