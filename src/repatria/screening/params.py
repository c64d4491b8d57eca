"""Dated parameter values for a whole roster: which value is in force on each row's date."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import polars as pl

from repatria.law.schema import Authority, Parameter, Rule, RuleSet
from repatria.screening.compile import Columns
from repatria.screening.logic import yes

# Rows where one combination of parameter values is in force, and those values.
Option = tuple[pl.Expr, dict[str, Any]]


def _value_options(parameter: Parameter, columns: Columns) -> list[tuple[pl.Expr, Any]]:
    """Where each distinct value of a parameter is in force (as `values.value_on` picks it)."""
    by_value: dict[str, tuple[pl.Expr, Any]] = {}

    def add(condition: pl.Expr, value: Any) -> None:
        key = json.dumps(value, sort_keys=True, default=str)
        if key in by_value:
            condition = by_value[key][0] | condition
        by_value[key] = (condition, value)

    entries = parameter.values
    for index, entry in enumerate(entries):
        period = yes(pl.col("as_of") >= pl.lit(entry.from_))
        if index + 1 < len(entries):
            period = period & yes(pl.col("as_of") < pl.lit(entries[index + 1].from_))
        states = list(entry.by_state)
        if not states:
            add(period, entry.value)
            continue
        # A value for the sending state wins over one for the receiving state.
        from_listed = yes(pl.col("from").is_in(pl.Series(states).implode()))
        to_listed = yes(pl.col("to").is_in(pl.Series(states).implode()))
        for state, value in entry.by_state.items():
            add(period & yes(pl.col("from") == state), value)
            add(period & ~from_listed & yes(pl.col("to") == state), value)
        add(period & ~from_listed & ~to_listed, entry.value)
    return list(by_value.values())


def parameter_for(name: str, rule_owner: RuleSet, authority: Authority | None) -> Parameter:
    """The parameter a rule names: the authority's own first, then its rule set's."""
    own = authority.parameters.get(name) if authority else None
    return own or rule_owner.parameters[name]


def options_for(rule: Rule, owner: RuleSet, columns: Columns) -> Iterator[Option]:
    """Every combination of the rule's parameter values, with the rows where it is in force."""
    arguments = list(rule.params.items())
    per_argument = [
        _value_options(parameter_for(name, owner, columns.authority), columns)
        for _, name in arguments
    ]
    for combination in itertools.product(*per_argument):
        condition = pl.lit(True)
        values = {}
        for (argument, _), (where, value) in zip(arguments, combination, strict=True):
            condition = condition & where
            values[argument] = value
        yield condition, values


def by_parameters(
    rule: Rule,
    owner: RuleSet,
    columns: Columns,
    outcome: Callable[[Columns, Mapping[str, Any]], pl.Expr],
    otherwise: pl.Expr,
) -> pl.Expr:
    """The rule's outcome with the parameter values in force on each row; `otherwise` where
    some parameter has no value in force yet."""
    if not rule.params:
        return outcome(columns, {})
    chain: Any = pl
    for condition, values in options_for(rule, owner, columns):
        chain = chain.when(condition).then(outcome(columns, values))
    return chain.otherwise(otherwise) if chain is not pl else otherwise
