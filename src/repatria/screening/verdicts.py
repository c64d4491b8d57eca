"""Screening a roster: every document against its authority (or all in force), vectorised."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from repatria.law import AUTHORITY_IDS
from repatria.law.catalog import LawCatalog, load_catalog
from repatria.law.facts import ContextFacts
from repatria.screening.compile import ENGINE, OUTCOME_NAMES
from repatria.screening.derived import with_derived
from repatria.screening.evaluate import (
    GROUND_BITS,
    RuleColumn,
    authority_alone,
    ground_mask,
    grounds_text,
    months_used,
    rule_columns,
)
from repatria.screening.expand import AUTHORITY_CODE, SOURCE, targets_for_all
from repatria.screening.fields import typed_schema

_NONE = np.iinfo(np.uint16).max  # the code of "no authority in force"


@dataclass(frozen=True)
class _Roster:
    """A checked roster with its derived columns, numbered by source position."""

    frame: pl.DataFrame
    longest: dict[str, int]
    months: frozenset[int]


@dataclass(frozen=True)
class _Part:
    """The targets of one authority (or of none), and how to evaluate them."""

    name: str | None
    targets: np.ndarray  # positions in the list of targets
    rules: list[RuleColumn]
    outcomes: pl.LazyFrame | None  # one column per rule; None where a fixed ground applies
    fixed: pl.Series | None = None


def _prepare(roster: pl.DataFrame, catalog: LawCatalog) -> _Roster:
    schema = typed_schema()
    wrong = [n for n, t in schema.items() if n in roster.columns and roster.schema[n] != t]
    roster = roster.with_columns(pl.col(n).cast(schema[n]) for n in wrong)
    months = months_used(catalog)
    frame, longest = with_derived(roster, months)
    return _Roster(frame.with_row_index(SOURCE), longest, months)


def _targets(roster: pl.DataFrame, catalog: LawCatalog) -> tuple[pl.DataFrame, list[str]]:
    """(source, to, authority code) of every verdict to give, in roster order, and the names
    the codes stand for (`AUTHORITY_IDS` first, then any other id the roster names)."""
    authority = roster["authority"]
    names = list(AUTHORITY_IDS)
    if authority.null_count() == roster.height:
        return targets_for_all(
            roster.select(SOURCE, "from", "as_of", "person.citizenships"), catalog
        ), names
    names += sorted(set(authority.drop_nulls().unique().to_list()) - set(names))
    code = authority.cast(pl.Enum(names)).to_physical().cast(pl.UInt16)
    named = roster.select(SOURCE, "to", code.alias(AUTHORITY_CODE))
    if authority.null_count() == 0:
        return named, names
    open_rows = roster.select(SOURCE, "from", "as_of", "person.citizenships").filter(
        authority.is_null()
    )
    merged = pl.concat([named.filter(authority.is_not_null()), targets_for_all(open_rows, catalog)])
    return merged.sort(SOURCE, maintain_order=True), names


def _groups(codes: pl.Series) -> Iterator[tuple[int, np.ndarray]]:
    """Each authority code with the positions of its targets, in order."""
    values = codes.fill_null(_NONE).to_numpy()
    order = np.argsort(values, kind="stable")
    sorted_codes = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    ends = np.r_[starts[1:], len(order)]
    for start, end in zip(starts, ends, strict=True):
        yield int(sorted_codes[start]), order[start:end]


def _parts(
    roster: _Roster,
    targets: pl.DataFrame,
    names: list[str],
    catalog: LawCatalog,
    facts: ContextFacts,
) -> list[_Part]:
    parts = []
    for code, positions in _groups(targets[AUTHORITY_CODE]):
        chosen = targets[positions]
        name = None if code == _NONE else names[code]
        authority = catalog.authorities.get(name) if name else None
        if authority is None:
            # No authority in force: NATIONALITY without a destination, else AUTHORITY; an
            # id the law does not know fails with AUTHORITY, as in the per-case engine.
            bits = (
                pl.when(pl.col("to").is_null() & pl.lit(name is None))
                .then(GROUND_BITS["NATIONALITY"])
                .otherwise(GROUND_BITS["AUTHORITY"])
            )
            fixed = chosen.select(bits.cast(pl.UInt32)).to_series()
            parts.append(_Part(name, positions, [], None, fixed))
            continue
        rules = rule_columns(catalog, authority, facts, roster.longest, roster.months)
        needed = {n for rule in rules for n in rule.outcome.meta.root_names()} - {"to"}
        frame = roster.frame.lazy().select(sorted(needed)).select(pl.all().gather(chosen[SOURCE]))
        frame = frame.with_columns(chosen["to"].alias("to"))
        columns = [rule.outcome.alias(f"_rule{i}") for i, rule in enumerate(rules)]
        parts.append(_Part(name, positions, rules, frame.select(columns)))
    return parts


def _masks(parts: list[_Part], count: int) -> pl.Series:
    """The ground mask of every target (0: allowed), evaluating the authorities together."""
    queries = [
        part.outcomes.select(
            ground_mask(part.rules, [f"_rule{i}" for i in range(len(part.rules))]).alias("_mask")
        )
        for part in parts
        if part.outcomes is not None
    ]
    # One authority after another: each query already uses every core, and running them all
    # at once (collect_all) was measured 40% slower on 2 cores (bench/screen.py).
    computed = (query.collect(engine=ENGINE) for query in queries)
    masks = np.zeros(count, dtype=np.uint32)
    for part in parts:
        found = next(computed)["_mask"] if part.outcomes is not None else part.fixed
        assert found is not None
        masks[part.targets] = found.to_numpy()
    return pl.Series("_mask", masks)


def screen(
    roster: pl.DataFrame,
    catalog: LawCatalog | None = None,
    facts: ContextFacts | None = None,
) -> pl.DataFrame:
    """One result row per (document, authority, destination): row, authority, to, allowed,
    grounds (sorted, `;`-separated grounds of the checks that did not pass).

    `roster` has the checked columns of `fields.typed_schema()` and `row`; a null `authority`
    means every authority in force between `from` and each of the person's citizenships
    other than `from` (one row without an authority where none is, or no citizenship is).
    """
    catalog = catalog or load_catalog()
    prepared = _prepare(roster, catalog)
    targets, names = _targets(prepared.frame, catalog)
    parts = _parts(prepared, targets, names, catalog, facts or ContextFacts())
    mask = _masks(parts, targets.height)
    return pl.DataFrame(
        {
            "row": prepared.frame["row"].gather(targets[SOURCE]).cast(pl.Int64),
            "authority": pl.Series(names, dtype=pl.Enum(names)).gather(targets[AUTHORITY_CODE]),
            "to": targets["to"],
            "allowed": mask == 0,
            "grounds": grounds_text(mask),
        }
    )


@dataclass(frozen=True)
class AuthorityOutcomes:
    """Every rule's outcome for the result rows of one authority (or of none)."""

    name: str | None  # the authority; None where none is in force
    targets: np.ndarray  # the positions of these rows among the result rows of `screen`
    rules: list[RuleColumn]
    # One column per rule (`_rule0`, `_rule1`, ... in the order of `rules`) of outcome codes
    # (screening/compile.py); None where no authority's rules apply (a fixed ground).
    outcomes: pl.DataFrame | None


def rule_outcomes(
    roster: pl.DataFrame,
    catalog: LawCatalog | None = None,
    facts: ContextFacts | None = None,
) -> list[AuthorityOutcomes]:
    """Every rule's outcome for each result row `screen(roster, catalog, facts)` gives,
    authority by authority, vectorised: what explains each verdict (the rules an amendment
    changes, the checks a test compares with the per-case engine's)."""
    catalog = catalog or load_catalog()
    prepared = _prepare(roster, catalog)
    targets, names = _targets(prepared.frame, catalog)
    return [
        AuthorityOutcomes(
            part.name,
            part.targets,
            part.rules,
            part.outcomes.collect(engine=ENGINE) if part.outcomes is not None else None,
        )
        for part in _parts(prepared, targets, names, catalog, facts or ContextFacts())
    ]


def screen_outcomes(
    roster: pl.DataFrame,
    catalog: LawCatalog | None = None,
    facts: ContextFacts | None = None,
) -> list[list[tuple[str, str]]]:
    """Every rule's outcome for each result row, in order (for tests and explanations)."""
    parts = rule_outcomes(roster, catalog, facts)
    found: list[list[tuple[str, str]]] = [[] for _ in range(sum(len(p.targets) for p in parts))]
    for part in parts:
        if part.outcomes is None:
            for target in part.targets:
                found[target] = [("authority/known", "fail")]
            continue
        for target, values in zip(part.targets, part.outcomes.iter_rows(), strict=True):
            kept = authority_alone(part.rules, values)
            found[target] = [
                (rule.rule, OUTCOME_NAMES[value])
                for rule, value in zip(part.rules, kept, strict=True)
                if value is not None
            ]
    return found
