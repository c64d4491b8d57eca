"""Situations in which consent is not needed, as three-valued columns (null: cannot tell)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from repatria.screening.checks.base import Columns, yes

Exemption = Callable[[Columns], pl.Expr]
_NONE = pl.lit(None, pl.Boolean)


def _fled(columns: Columns) -> pl.Expr:
    fled = columns.col("person.fled_to_state_of_nationality")
    not_national = yes(columns.is_national(columns.to_state).not_())
    return (
        pl.when(yes(fled.eq(False)) | not_national)
        .then(pl.lit(False))
        .when(fled.is_null() | ~columns.citizenships_known)
        .then(_NONE)
        .otherwise(pl.lit(True))
    )


def _expulsion_order(columns: Columns) -> pl.Expr:
    return columns.col("person.expulsion_order")


def _lives_in_state_of_nationality(columns: Columns) -> pl.Expr:
    residence = columns.col("person.residence_country")
    elsewhere = yes(residence != columns.to_state)
    not_national = yes(columns.is_national(columns.to_state).not_())
    return (
        pl.when(elsewhere | not_national)
        .then(pl.lit(False))
        .when(residence.is_null() | ~columns.citizenships_known)
        .then(_NONE)
        .otherwise(pl.lit(True))
    )


def _deported_there(columns: Columns) -> pl.Expr:
    destination = columns.col("person.deportation_country")
    expelled = columns.col("person.expulsion_order")
    return (
        pl.when(destination.is_null() & yes(expelled.eq(False)))
        .then(pl.lit(False))
        .when(destination.is_null())
        .then(_NONE)
        .otherwise(destination == columns.to_state)
    )


VECTOR_EXEMPTIONS: dict[str, Exemption] = {
    "fled-to-state-of-nationality": _fled,
    "expulsion-order": _expulsion_order,
    "lives-in-state-of-nationality": _lives_in_state_of_nationality,
    "deportation-country": _deported_there,
}


def exemption_applies(columns: Columns, names: list[str]) -> pl.Expr:
    """True where a named exemption applies, null where one cannot tell, else false."""
    if not names:
        return pl.lit(False)
    results = [VECTOR_EXEMPTIONS[name](columns) for name in names]
    any_true = pl.any_horizontal(*(yes(result) for result in results))
    any_unknown = pl.any_horizontal(*(result.is_null() for result in results))
    return pl.when(any_true).then(pl.lit(True)).when(any_unknown).then(_NONE).otherwise(False)
