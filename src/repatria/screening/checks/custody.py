"""Custody-agreement checks: the removal basis, and the database facts (constant per run)."""

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
    in_list,
    vector_check,
)


def chosen_removal_authority(columns: Columns, allowed: list[str]) -> pl.Expr:
    """The removal authority a custody transfer relies on: the document's, else the default."""
    given = columns.col("removal_authority")
    # The per-case engine reads `removal_authority or allowed[0]`: an empty string is absent.
    return pl.when(given.is_null() | (given == "")).then(pl.lit(allowed[0])).otherwise(given)


@vector_check("removal-basis")
def removal_basis(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """The person must be removable to the host under one of the removal authorities."""
    allowed = params["allowed"]
    return decide((~in_list(chosen_removal_authority(columns, allowed), allowed), FAIL))


@vector_check("contract-in-force")
def contract_in_force(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A custody contract in force with room under its cap (a database fact)."""
    in_force, room = columns.facts.contract_in_force, columns.facts.contract_has_room
    if in_force is False or room is False:
        return constant(FAIL)
    return constant(UNKNOWN if in_force is None or room is None else PASS)


@vector_check("standard-place-available")
def standard_place_available(columns: Columns, params: Mapping[str, Any]) -> pl.Expr:
    """A place meeting the chosen space standard is free at the host facility."""
    available = columns.facts.standard_place_available
    return constant(UNKNOWN if available is None else PASS if available else FAIL)
