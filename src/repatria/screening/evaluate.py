"""One authority's rules over many rows: an outcome column per rule, and the grounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import polars as pl

from repatria.law.catalog import LawCatalog
from repatria.law.checks import CHECKS
from repatria.law.checks.custody import chosen_removal_authority
from repatria.law.checks.exceptions import EXCEPTIONS, with_exceptions
from repatria.law.checks.vocabulary import WHEN
from repatria.law.expr import Const
from repatria.law.facts import ContextFacts
from repatria.law.schema import GROUNDS, Authority, Rule
from repatria.screening.compile import (
    FAIL,
    OUTCOME,
    PASS,
    UNKNOWN,
    WAIVED,
    Columns,
    compile_decision,
    compile_expr,
    condition,
)
from repatria.screening.logic import in_list, yes
from repatria.screening.params import by_parameters, options_for

# Grounds as bits, in alphabetical order, so that a mask lists them sorted.
GROUND_BITS: dict[str, int] = {ground: 1 << i for i, ground in enumerate(sorted(GROUNDS))}
MASK = pl.UInt32


@dataclass(frozen=True)
class RuleColumn:
    """One rule's outcome over the rows (null where the rule does not apply), and its ground."""

    rule: str
    ground: str
    outcome: pl.Expr


def _outcome(
    rule: Rule, rule_id: str, authority: Authority, columns: Columns, values: Mapping[str, Any]
) -> pl.Expr:
    """A rule's outcome code with these parameter values, from its check's one definition
    (with the exceptions on file, where the roster has any)."""
    decision = CHECKS[rule.check].decision(values, authority)
    if columns.longest.get(EXCEPTIONS, 0):  # without any, the wrapper changes nothing
        decision = with_exceptions(decision, rule, rule_id)
    return compile_decision(decision, columns)


def _checks(
    catalog: LawCatalog, authority: Authority, columns: Columns, gate: pl.Expr | None = None
) -> list[RuleColumn]:
    found = []
    for owner, rule in catalog.rules_for(authority.id):
        rule_id = f"{owner.id}/{rule.id}"
        outcome_of = partial(_outcome, rule, rule_id, authority)
        outcome = by_parameters(rule, owner, columns, outcome_of, pl.lit(UNKNOWN, OUTCOME))
        when = WHEN[rule.when]
        applies = None if isinstance(when, Const) else condition(when, columns)
        if gate is not None:
            applies = gate if applies is None else gate & applies
        if applies is not None:
            outcome = pl.when(applies).then(outcome)
        found.append(RuleColumn(rule_id, rule.ground, outcome.cast(OUTCOME)))
    return found


def _removal_basis(catalog: LawCatalog, authority: Authority, columns: Columns) -> list[RuleColumn]:
    """A custody transfer also runs the rules of the removal authority it relies on."""
    found: list[RuleColumn] = []
    settled = pl.lit(False)  # rows whose removal basis an earlier rule already decided
    for owner, rule in catalog.rules_for(authority.id):
        if rule.check != "removal-basis":
            continue
        resolved = pl.lit(False)
        for where, values in options_for(rule, owner, columns):
            allowed = values["allowed"]
            chosen = compile_expr(chosen_removal_authority(allowed), columns)
            for base_id in dict.fromkeys(allowed):
                if base_id not in catalog.authorities:
                    continue
                base = catalog.authorities[base_id]
                base_columns = Columns(
                    base, columns.catalog, columns.facts, columns.longest, columns.months
                )
                gate = ~settled & where & yes(chosen == base_id)
                found += _checks(catalog, base, base_columns, gate)
            resolved = resolved | where
            known = [a for a in allowed if a in catalog.authorities]
            settled = settled | (where & in_list(chosen, known))
        settled = settled | ~resolved  # no value in force: the per-case engine stops here
    return found


def rule_columns(
    catalog: LawCatalog,
    authority: Authority,
    facts: ContextFacts,
    longest: Mapping[str, int],
    months: frozenset[int] = frozenset(),
) -> list[RuleColumn]:
    """Every rule that may apply under an authority, as outcome expressions.

    `longest`: the most entries of each list column; `months`: the values of N for which
    the roster holds reference + N months (see `derived`).
    """
    columns = Columns(authority, catalog, facts, longest, months)
    found = _checks(catalog, authority, columns)
    if authority.kind == "custody":
        found += _removal_basis(catalog, authority, columns)
    return found


def months_used(catalog: LawCatalog) -> frozenset[int]:
    """Every number of months a minimum-time-left rule may ask for, in any dated value."""
    found: set[int] = set()
    for owner, rule in catalog.all_rules():
        if rule.check != "minimum-time-left":
            continue
        for authority in catalog.authorities.values():
            parameter = authority.parameters.get(rule.params["months"]) or owner.parameters.get(
                rule.params["months"]
            )
            for entry in parameter.values if parameter else ():
                found.update([entry.value, *entry.by_state.values()])
    return frozenset(found)


def ground_mask(rules: list[RuleColumn], names: list[str]) -> pl.Expr:
    """The grounds of the rules that did not pass, as a bit mask, from outcome columns."""
    by_ground: dict[str, list[str]] = {}
    for rule, name in zip(rules, names, strict=True):
        by_ground.setdefault(rule.ground, []).append(name)
    mask = pl.lit(0, MASK)
    for ground, columns in by_ground.items():
        failed = pl.any_horizontal(*(yes(~pl.col(name).is_in([PASS, WAIVED])) for name in columns))
        mask = mask | (failed.cast(MASK) * GROUND_BITS[ground])
    # As `law.engine.authority_alone`: where an AUTHORITY rule fails, that alone is the answer.
    authority = by_ground.get("AUTHORITY", [])
    if authority:
        alone = pl.any_horizontal(*(yes(pl.col(name) == FAIL) for name in authority))
        mask = pl.when(alone).then(pl.lit(GROUND_BITS["AUTHORITY"], MASK)).otherwise(mask)
    return mask


def authority_alone(rules: list[RuleColumn], outcomes: tuple[int | None, ...]) -> list[int | None]:
    """One row's outcomes with every rule but the AUTHORITY ones left out where one of those
    fails (as `law.engine.authority_alone`)."""
    failed = any(
        rule.ground == "AUTHORITY" and value == FAIL
        for rule, value in zip(rules, outcomes, strict=True)
    )
    return [
        value if not failed or rule.ground == "AUTHORITY" else None
        for rule, value in zip(rules, outcomes, strict=True)
    ]


def grounds_text(masks: pl.Series) -> pl.Series:
    """Sorted `;`-separated ground names for each mask (empty for 0), as a categorical."""
    distinct = masks.unique().sort().to_list()
    texts = [";".join(g for g, bit in GROUND_BITS.items() if mask & bit) for mask in distinct]
    # Two masks never spell the same text, so the texts can be the enum's categories.
    positions = masks.replace_strict(distinct, list(range(len(distinct))), return_dtype=pl.UInt32)
    return pl.Series(texts, dtype=pl.Enum(texts)).gather(positions)
