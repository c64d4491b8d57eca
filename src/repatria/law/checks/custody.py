"""Custody-agreement checks: the removal basis, and the facts a database supplies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repatria.law.checks.base import check, is_str_list
from repatria.law.expr import (
    Const,
    Decide,
    Expr,
    Fact,
    Field,
    IfElse,
    decide,
    failing,
    passing,
    unknown,
)
from repatria.law.schema import Authority


def chosen_removal_authority(allowed: list[str]) -> Expr:
    """The removal authority a custody transfer relies on: the document's, else the first
    allowed (an empty string counts as none given)."""
    given = Field("removal_authority")
    return IfElse(given.is_null() | given.eq(""), Const(allowed[0]), given)


@check("removal-basis", allowed=is_str_list)
def removal_basis(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The person must be removable to the host under one of the removal authorities."""
    allowed: list[str] = params["allowed"]
    chosen = chosen_removal_authority(allowed)
    return decide(
        (
            ~chosen.is_in(allowed),
            failing("{chosen} is not a basis for removal to a host ({allowed})"),
        ),
        otherwise=passing("removal to {to} assessed under {chosen} (checks below)"),
        chosen=chosen,
        allowed=", ".join(allowed),
    )


@check("contract-in-force")
def contract_in_force(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A custody contract in force on the date with room under its cap."""
    in_force, room = Fact("contract_in_force"), Fact("contract_has_room")
    return decide(
        (in_force.eq(False), failing("no custody contract with {to} in force on {as_of}")),
        (room.eq(False), failing("the custody contract has no room left under its cap")),
        (
            in_force.is_null() | room.is_null(),
            unknown("the custody contract and its cap are database facts not supplied"),
        ),
        otherwise=passing("a custody contract is in force with room under its cap"),
    )


@check("standard-place-available")
def standard_place_available(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A place meeting the chosen space standard is free at the host facility."""
    available = Fact("standard_place_available")
    return decide(
        (
            available.is_null(),
            unknown("whether a standard-compliant place is free is a database fact not supplied"),
        ),
        (available.eq(True), passing("a standard-compliant place is free")),
        otherwise=failing("no place meeting the space standard is free"),
    )
