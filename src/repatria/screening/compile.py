"""The roster compiler: a check's one definition (`law/checks/`) as a Polars expression.

Each node of the law's expression language has its Polars counterpart here, with the same
three-valued meaning (null is unknown; `&` and `|` are Kleene's in both). A decision becomes a
`when/then` chain whose first true condition gives the outcome code, as `law.expr.run` takes
the first true branch. Reasons are not compiled: screening gives outcomes and grounds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import singledispatch
from typing import Any, Final

import polars as pl

from repatria.law import expr as law
from repatria.law.catalog import LawCatalog
from repatria.law.checks.vocabulary import AGE, AGE_AT_TRANSFER, REFERENCE, RELEASE
from repatria.law.facts import ContextFacts
from repatria.law.schema import Authority
from repatria.screening import party_charts
from repatria.screening.arithmetic import add_months, age_on
from repatria.screening.fields import DEPARTURE_DAY
from repatria.screening.logic import any_of, in_list, yes

# Outcomes as small integers, in the order of the per-case engine's outcome names.
PASS, FAIL, UNKNOWN, WAIVED = 0, 1, 2, 3
OUTCOME_NAMES = ("pass", "fail", "unknown", "waived")
OUTCOME_CODES = {name: code for code, name in enumerate(OUTCOME_NAMES)}
OUTCOME = pl.UInt8
# Polars' in-memory engine for every query of the screening: its default ("auto") picks the
# streaming engine, which bench/screen.py measured slower here (1,000,000 documents: 1.61 s
# against 1.23 s) and which costs twice as much on a roster of twenty (an amendment's impact,
# a small file): the expressions are wide, the frames already in memory (decision 0009).
ENGINE: Final = "in-memory"

# Lists of country codes spread by position into plain columns once per document (`_citizenship0`
# ...): comparing plain columns with the row's `to` is much cheaper than searching lists.
SPREAD = {
    "person.citizenships": "_citizenship",
    "removal_order.designated_countries": "_designated",
}
# Derived values computed once per document (they depend on neither the authority nor `to`).
DERIVED: tuple[tuple[law.Expr, str], ...] = (
    (AGE, "_age"),
    (AGE_AT_TRANSFER, "_age_at_transfer"),
    (REFERENCE, "_reference"),
    (RELEASE, "_release"),
)
_PRECOMPUTED = {id(node): name for node, name in DERIVED}


def spread_column(list_name: str, k: int) -> str:
    """The column holding the k-th entry of a list of codes."""
    return f"{SPREAD[list_name]}{k}"


def known_column(list_name: str) -> str:
    """The column saying whether a list is known at all (false where it is null)."""
    return f"{SPREAD[list_name]}_known"


def months_after_reference(months: int) -> str:
    """The column holding the reference day plus `months` calendar months."""
    return f"_reference_plus_{months}_months"


@dataclass(frozen=True)
class Columns:
    """What compiled checks may look at: the authority, the law, database facts, and what the
    roster holds precomputed (the longest list of each kind, the month offsets)."""

    authority: Authority | None = None
    catalog: LawCatalog | None = None
    facts: ContextFacts = field(default_factory=ContextFacts)
    longest: Mapping[str, int] = field(default_factory=dict)
    months: frozenset[int] = frozenset()
    precomputed: bool = True
    entry: pl.Expr | None = None  # the list entry a `Member` reads, inside `AnyEntry`


@singledispatch
def compile_expr(node: law.Expr, columns: Columns) -> pl.Expr:
    """The Polars expression of a node of the law's expression language."""
    raise TypeError(f"{type(node).__name__} is for reasons only: a condition may not read it")


def _c(node: law.Expr, columns: Columns) -> pl.Expr:
    name = _PRECOMPUTED.get(id(node)) if columns.precomputed else None
    return pl.col(name) if name else compile_expr(node, columns)


@compile_expr.register
def _(node: law.Const, columns: Columns) -> pl.Expr:
    if node.value is None:
        return pl.lit(None)
    if isinstance(node.value, list | tuple):
        return pl.lit(pl.Series(list(node.value)).implode())
    return pl.lit(node.value)


@compile_expr.register
def _(node: law.Field, columns: Columns) -> pl.Expr:
    return pl.col(DEPARTURE_DAY if node.path == "departure_day" else node.path)


@compile_expr.register
def _(node: law.Member, columns: Columns) -> pl.Expr:
    assert columns.entry is not None, "a Member is read only inside AnyEntry"
    return columns.entry.struct.field(node.name)


@compile_expr.register
def _(node: law.Fact, columns: Columns) -> pl.Expr:
    return pl.lit(getattr(columns.facts, node.name), pl.Boolean)


_COMPARE: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _operand(node: law.Expr, columns: Columns) -> pl.Expr | Any:
    # A constant stays a Python value, so that Polars casts it to the other side's type
    # (a country code compared with an enum column).
    if isinstance(node, law.Const) and not isinstance(node.value, list | tuple):
        return node.value
    return _c(node, columns)


@compile_expr.register
def _(node: law.Compare, columns: Columns) -> pl.Expr:
    left = _c(node.left, columns)
    return _COMPARE[node.op](left, _operand(node.right, columns))


@compile_expr.register
def _(node: law.Arithmetic, columns: Columns) -> pl.Expr:
    left, right = _c(node.left, columns), _operand(node.right, columns)
    return left + right if node.op == "+" else left - right


@compile_expr.register
def _(node: law.And, columns: Columns) -> pl.Expr:
    parts = [_c(part, columns) for part in node.parts]
    result = parts[0]
    for part in parts[1:]:
        result = result & part
    return result


@compile_expr.register
def _(node: law.Or, columns: Columns) -> pl.Expr:
    parts = [_c(part, columns) for part in node.parts]
    result = parts[0]
    for part in parts[1:]:
        result = result | part
    return result


@compile_expr.register
def _(node: law.Not, columns: Columns) -> pl.Expr:
    return ~_c(node.part, columns)


@compile_expr.register
def _(node: law.IsNull, columns: Columns) -> pl.Expr:
    return _c(node.part, columns).is_null()


@compile_expr.register
def _(node: law.IsIn, columns: Columns) -> pl.Expr:
    value = _c(node.part, columns)
    return pl.when(value.is_not_null()).then(in_list(value, node.values))


@compile_expr.register
def _(node: law.Coalesce, columns: Columns) -> pl.Expr:
    return pl.coalesce(*(_c(part, columns) for part in node.parts))


@compile_expr.register
def _(node: law.IfElse, columns: Columns) -> pl.Expr:
    return (
        pl.when(yes(_c(node.condition, columns)))
        .then(_c(node.then, columns))
        .otherwise(_c(node.otherwise_, columns))
    )


def _spread(list_path: str, columns: Columns) -> list[pl.Expr]:
    return [pl.col(spread_column(list_path, k)) for k in range(columns.longest.get(list_path, 0))]


@compile_expr.register
def _(node: law.Contains, columns: Columns) -> pl.Expr:
    item = _c(node.item, columns)
    found = any_of(entry == item for entry in _spread(node.list_path, columns))
    return pl.when(pl.col(known_column(node.list_path)) & item.is_not_null()).then(found)


@compile_expr.register
def _(node: law.Intersects, columns: Columns) -> pl.Expr:
    found = any_of(in_list(entry, node.values) for entry in _spread(node.list_path, columns))
    return pl.when(pl.col(known_column(node.list_path))).then(found)


@compile_expr.register
def _(node: law.AnyEntry, columns: Columns) -> pl.Expr:
    listed = pl.col(node.list_path)
    terms = []
    for k in range(columns.longest.get(node.list_path, 0)):
        entry = listed.list.get(k, null_on_oob=True)
        inner = Columns(
            columns.authority,
            columns.catalog,
            columns.facts,
            columns.longest,
            columns.months,
            columns.precomputed,
            entry,
        )
        exists = (listed.list.len() > k).fill_null(False)
        terms.append(exists & _c(node.condition, inner))
    found = pl.any_horizontal(*terms) if terms else pl.lit(False)
    return pl.when(listed.is_not_null()).then(found)


@compile_expr.register
def _(node: law.AddMonths, columns: Columns) -> pl.Expr:
    if node.start is REFERENCE and node.months in columns.months and columns.precomputed:
        return pl.col(months_after_reference(node.months))
    return add_months(_c(node.start, columns), node.months)


@compile_expr.register
def _(node: law.AddDays, columns: Columns) -> pl.Expr:
    return _c(node.start, columns) + pl.duration(days=_c(node.days, columns))


@compile_expr.register
def _(node: law.AgeOn, columns: Columns) -> pl.Expr:
    return age_on(_c(node.birth, columns), _c(node.on, columns))


@compile_expr.register
def _(node: law.HoursBetween, columns: Columns) -> pl.Expr:
    span = _c(node.end, columns) - _c(node.start, columns)
    # The same float arithmetic as timedelta.total_seconds() / 3600.
    return span.dt.total_microseconds().cast(pl.Float64) / 1_000_000 / 3600


@compile_expr.register
def _(node: law.LaterOf, columns: Columns) -> pl.Expr:
    first, second = _c(node.first, columns), _c(node.second, columns)
    both = first.is_not_null() & second.is_not_null()
    return pl.when(both).then(pl.max_horizontal(first, second))


def _authority(
    node: law.PartyFrom | law.BoundOn | law.Listed, columns: Columns
) -> Authority | None:
    assert columns.catalog is not None, "a party chart is read from the law's catalog"
    return columns.catalog.authorities.get(node.authority_id)


@compile_expr.register
def _(node: law.PartyFrom, columns: Columns) -> pl.Expr:
    authority = _authority(node, columns)
    since = pl.lit(None, pl.Date)
    if authority is None:
        return since
    state, on = _c(node.state, columns), _c(node.on, columns)
    for start, end in reversed(party_charts.bounds(authority, state, verified=True)):
        since = pl.when(yes((start <= on) & (on <= end))).then(start).otherwise(since)
    return since


@compile_expr.register
def _(node: law.BoundOn, columns: Columns) -> pl.Expr:
    authority = _authority(node, columns)
    if authority is None:
        return pl.lit(False)
    state, on = _c(node.state, columns), _c(node.on, columns)
    bound = party_charts.entries_cover(authority, state, on, verified=True)
    uncertain = party_charts.entries_cover(authority, state, on, verified=False)
    known = {party.state for party in authority.parties}
    known |= {entry.state for entry in authority.not_parties if entry.verified}
    absent = ~in_list(state, sorted(known))
    parties = authority.party_list
    if parties is None or not parties.complete:
        uncertain = uncertain | absent  # absent from a list not known to be complete
    elif parties.as_of is not None:
        uncertain = uncertain | (absent & yes(on > pl.lit(parties.as_of)))
    return (
        pl.when(state.is_null() | on.is_null())
        .then(pl.lit(None, pl.Boolean))
        .when(bound)
        .then(pl.lit(True))
        .when(uncertain)
        .then(pl.lit(None, pl.Boolean))
        .otherwise(pl.lit(False))
    )


@compile_expr.register
def _(node: law.Listed, columns: Columns) -> pl.Expr:
    authority = _authority(node, columns)
    if authority is None:
        return pl.lit(False)
    state = _c(node.state, columns)
    listed = {party.state: True for party in authority.parties}
    return pl.when(state.is_not_null()).then(yes(party_charts.by_code(listed, pl.Boolean(), state)))


@compile_expr.register
def _(node: law.MemberContains, columns: Columns) -> pl.Expr:
    assert columns.entry is not None, "a MemberContains is read only inside AnyEntry"
    return columns.entry.struct.field(node.name).list.contains(_c(node.item, columns))


@compile_expr.register
def _(node: law.OutcomeIs, columns: Columns) -> pl.Expr:
    return compile_decision(node.decision, columns) == OUTCOME_CODES[node.outcome]


def _result(result: law.Leaf | law.Decide, columns: Columns) -> pl.Expr:
    if isinstance(result, law.Decide):
        return compile_decision(result, columns)
    return pl.lit(OUTCOME_CODES[result.outcome], OUTCOME)


def compile_decision(decision: law.Decide, columns: Columns) -> pl.Expr:
    """A decision's outcome code: the first branch whose condition holds, else `otherwise`."""
    otherwise = _result(decision.otherwise, columns)
    if not decision.branches:
        return otherwise
    chain: Any = pl
    for condition, result in decision.branches:
        chain = chain.when(yes(_c(condition, columns))).then(_result(result, columns))
    compiled: pl.Expr = chain.otherwise(otherwise)
    return compiled


def derived_columns() -> list[pl.Expr]:
    """The derived values, each compiled from its one definition, as named columns."""
    plain = Columns(precomputed=False)
    return [compile_expr(node, plain).alias(name) for node, name in DERIVED]


def condition(node: law.Expr, columns: Columns) -> pl.Expr:
    """A condition as a column that is true only where it holds (unknown counts as not)."""
    return yes(_c(node, columns))
