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
from repatria.law.language import Words
from repatria.law.schema import Authority


def chosen_removal_authority(allowed: list[str]) -> Expr:
    """The removal authority a custody transfer relies on: the document's, else the first
    allowed (an empty string counts as none given)."""
    given = Field("removal_authority")
    return IfElse(given.is_null() | given.eq(""), Const(allowed[0]), given)


@check(
    "removal-basis",
    title=Words("Removable to the host", "Expulsable al Estado anfitrión"),
    allowed=is_str_list,
)
def removal_basis(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The person must be removable to the host under one of the removal authorities."""
    allowed: list[str] = params["allowed"]
    chosen = chosen_removal_authority(allowed)
    return decide(
        (
            ~chosen.is_in(allowed),
            failing(
                "{chosen} is not a basis for removal to a host ({allowed})",
                es="{chosen} no es fundamento para la expulsión a un Estado anfitrión ({allowed})",
            ),
        ),
        otherwise=passing(
            "removal to {to} assessed under {chosen} (checks below)",
            es="la expulsión a {to} se evalúa conforme a {chosen} (véanse las condiciones"
            " siguientes)",
        ),
        chosen=chosen,
        allowed=", ".join(allowed),
    )


@check(
    "contract-in-force",
    title=Words("Custody contract in force, with room", "Contrato de custodia en vigor, con cupo"),
)
def contract_in_force(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A custody contract in force on the date with room under its cap."""
    in_force, room = Fact("contract_in_force"), Fact("contract_has_room")
    return decide(
        (
            in_force.eq(False),
            failing(
                "no custody contract with {to} in force on {as_of}",
                es="no hay contrato de custodia con {to} en vigor el {as_of}",
            ),
        ),
        (
            room.eq(False),
            failing(
                "the custody contract has no room left under its cap",
                es="el contrato de custodia no tiene cupo disponible dentro de su límite",
            ),
        ),
        (
            in_force.is_null() | room.is_null(),
            unknown(
                "the custody contract and its cap are database facts not supplied",
                es="el contrato de custodia y su límite son datos de la base de datos que no"
                " se proporcionaron",
            ),
        ),
        otherwise=passing(
            "a custody contract is in force with room under its cap",
            es="hay un contrato de custodia en vigor con cupo disponible dentro de su límite",
        ),
    )


@check(
    "standard-place-available",
    title=Words("A standard-compliant place is free", "Lugar libre conforme a la norma de espacio"),
)
def standard_place_available(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A place meeting the chosen space standard is free at the host facility."""
    available = Fact("standard_place_available")
    return decide(
        (
            available.is_null(),
            unknown(
                "whether a standard-compliant place is free is a database fact not supplied",
                es="si hay un lugar libre conforme a la norma de espacio es un dato de la base"
                " de datos que no se proporcionó",
            ),
        ),
        (
            available.eq(True),
            passing(
                "a standard-compliant place is free",
                es="hay un lugar libre conforme a la norma de espacio",
            ),
        ),
        otherwise=failing(
            "no place meeting the space standard is free",
            es="no hay ningún lugar libre que cumpla la norma de espacio",
        ),
    )
