"""Who the person is: nationality, domicile, citizenship, enemy-alien status, for a roster."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from repatria.screening.checks.base import (
    FAIL,
    PASS,
    UNKNOWN,
    Columns,
    constant,
    decide,
    vector_check,
    yes,
)
from repatria.screening.derived import AGE


@vector_check("national-of-receiving-state")
def national_of_receiving_state(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The person is a national of the state that is to receive them."""
    national = columns.is_national(columns.to_state)
    return decide((national.is_null(), UNKNOWN), (national, PASS), otherwise=FAIL)


@vector_check("not-domiciliary")
def not_domiciliary(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """Not a domiciliary of the sending state: present N years with intent to remain."""
    years = columns.col("person.years_in_sending_state")
    intends = columns.col("person.intends_to_remain")
    return decide(
        (years < params["minimum_years"], PASS),
        (intends.eq(False), PASS),
        (years.is_null() | intends.is_null(), UNKNOWN),
        otherwise=FAIL,
    )


@vector_check("not-a-citizen-of-sending-state")
def not_a_citizen(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A citizen or national of the sending state may never be removed from it."""
    citizen = columns.is_national(columns.from_state)
    return decide((citizen.is_null(), UNKNOWN), (citizen, FAIL))


@vector_check("enemy-alien")
def enemy_alien(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A citizen of a nation named in a proclamation in force, old enough, not excluded by it."""
    nations = params["nations"]
    if not nations:
        return constant(FAIL)
    birth = columns.col("person.birth_date")
    enemy = columns.any_listed("person.citizenships", nations)
    branches = [
        (~columns.citizenships_known | birth.is_null(), UNKNOWN),
        (~yes(enemy), FAIL),
        (columns.col(AGE) < params["minimum_age"], FAIL),
    ]
    if params["excludes_permanent_residents"]:
        resident = columns.col("person.lawful_permanent_resident")
        branches += [(resident.is_null(), UNKNOWN), (resident.eq(True), FAIL)]
    return decide(*branches)


@vector_check("eu-forwarding-destination")
def eu_forwarding_destination(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The state of nationality where the person lives or will be deported, or a state that
    consents to take the judgment."""
    national = columns.is_national(columns.to_state)
    residence = columns.col("person.residence_country")
    deported_to = columns.col("person.deportation_country")
    consented = columns.col("approvals.receiving_state")
    return decide(
        (national.eq(True) & (residence == columns.to_state), PASS),
        (national.eq(True) & (deported_to == columns.to_state), PASS),
        (consented <= columns.as_of, PASS),
        (national.is_null(), UNKNOWN),
        (national.eq(True) & residence.is_null(), UNKNOWN),
        otherwise=FAIL,
    )
