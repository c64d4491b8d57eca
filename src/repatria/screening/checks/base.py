"""What every vectorised check shares: outcome codes, the columns it reads, its registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from repatria.law.facts import ContextFacts
from repatria.law.schema import Authority
from repatria.screening.derived import ORDERS, known_column, spread_column

# Outcomes as small integers, in the order of the per-case engine's Outcome literal.
PASS, FAIL, UNKNOWN = 0, 1, 2
OUTCOME_NAMES = ("pass", "fail", "unknown")
OUTCOME = pl.UInt8


@dataclass(frozen=True)
class Columns:
    """What a vectorised check may look at: the roster's columns, the authority, database facts."""

    authority: Authority
    facts: ContextFacts = field(default_factory=ContextFacts)
    longest: Mapping[str, int] = field(default_factory=dict)  # entries of each list column
    months: frozenset[int] = frozenset()  # reference + N months precomputed for these N

    @staticmethod
    def col(name: str) -> pl.Expr:
        """A roster column by its dotted name."""
        return pl.col(name)

    @property
    def as_of(self) -> pl.Expr:
        """The date the assessment speaks for."""
        return pl.col("as_of")

    @property
    def from_state(self) -> pl.Expr:
        """The sending state."""
        return pl.col("from")

    @property
    def to_state(self) -> pl.Expr:
        """The receiving (or destination) state."""
        return pl.col("to")

    def listed(self, list_name: str, value: pl.Expr) -> pl.Expr:
        """Whether a value is in a list of codes: null where the list is unknown, as `in`."""
        entries = range(self.longest.get(list_name, 0))
        found = any_of(pl.col(spread_column(list_name, k)) == value for k in entries)
        return pl.when(pl.col(known_column(list_name))).then(found)

    def any_listed(self, list_name: str, values: list[str]) -> pl.Expr:
        """Whether any of a list's codes is one of `values` (null where it is unknown)."""
        entries = range(self.longest.get(list_name, 0))
        found = any_of(in_list(pl.col(spread_column(list_name, k)), values) for k in entries)
        return pl.when(pl.col(known_column(list_name))).then(found)

    def is_national(self, state: pl.Expr) -> pl.Expr:
        """Whether the person is a citizen of a state (null when citizenships are unknown)."""
        return self.listed("person.citizenships", state)

    @property
    def citizenships_known(self) -> pl.Expr:
        """Whether the person's citizenships are known."""
        return pl.col(known_column("person.citizenships"))

    def order_bars(self, state: pl.Expr) -> pl.Expr:
        """Whether a protection order in force on as_of or at departure bars removal there."""
        entries = range(self.longest.get(ORDERS, 0))
        return any_of(pl.col(spread_column(ORDERS, k)) == state for k in entries)


def yes(condition: pl.Expr) -> pl.Expr:
    """True where a condition holds; an unknown (null) condition does not hold."""
    return condition.fill_null(False)


def decide(*branches: tuple[pl.Expr, int], otherwise: int = PASS) -> pl.Expr:
    """The outcome of the first branch whose condition holds, as `if ... elif ...` would."""
    if not branches:
        return pl.lit(otherwise, OUTCOME)
    (first, outcome), *rest = branches
    chain: Any = pl.when(yes(first)).then(pl.lit(outcome, OUTCOME))
    for condition, then in rest:
        chain = chain.when(yes(condition)).then(pl.lit(then, OUTCOME))
    result: pl.Expr = chain.otherwise(pl.lit(otherwise, OUTCOME))
    return result


def constant(outcome: int) -> pl.Expr:
    """The same outcome on every row."""
    return pl.lit(outcome, OUTCOME)


def in_list(expr: pl.Expr, values: list[Any] | tuple[Any, ...]) -> pl.Expr:
    """Whether a value is one of a constant list (false for a null value)."""
    if not values:
        return pl.lit(False)
    return yes(expr.is_in(pl.Series(list(values)).implode()))


def any_of(conditions: Iterable[pl.Expr]) -> pl.Expr:
    """True where any of the conditions holds (false for none)."""
    listed = [yes(condition) for condition in conditions]
    return pl.any_horizontal(*listed) if listed else pl.lit(False)


VectorCheck = Callable[[Columns, Mapping[str, Any]], pl.Expr]
VECTOR_REGISTRY: dict[str, VectorCheck] = {}


def vector_check(name: str) -> Callable[[VectorCheck], VectorCheck]:
    """Register the vectorised counterpart of the per-case check of the same name."""

    def register(function: VectorCheck) -> VectorCheck:
        VECTOR_REGISTRY[name] = function
        return function

    return register
