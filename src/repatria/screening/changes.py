"""Which rules' outcomes differ between two laws over the same roster, vectorised (for the
impact of an amendment: the rules responsible for each changed verdict)."""

from __future__ import annotations

import numpy as np
import polars as pl

from repatria.law.catalog import LawCatalog
from repatria.law.facts import ContextFacts
from repatria.screening.compile import FAIL, PASS, WAIVED
from repatria.screening.evaluate import RuleColumn
from repatria.screening.verdicts import _parts, _prepare, _targets


def _outcomes(
    roster: pl.DataFrame, catalog: LawCatalog
) -> list[tuple[np.ndarray, list[RuleColumn], pl.DataFrame | None]]:
    prepared = _prepare(roster, catalog)
    targets, names = _targets(prepared.frame, catalog)
    found = []
    for part in _parts(prepared, targets, names, catalog, ContextFacts()):
        frame = part.outcomes.collect() if part.outcomes is not None else None
        found.append((part.targets, part.rules, frame))
    return found


def _reached(rules: list[RuleColumn], frame: pl.DataFrame) -> pl.DataFrame:
    """Each rule's outcome, null where an AUTHORITY rule fails (the authority alone then
    answers, as `law.engine.authority_alone`)."""
    names = [f"_rule{i}" for i in range(len(rules))]
    authority = [n for rule, n in zip(rules, names, strict=True) if rule.ground == "AUTHORITY"]
    if not authority:
        return frame
    alone = pl.any_horizontal(*((pl.col(n) == FAIL).fill_null(False) for n in authority))
    return frame.select(
        pl.col(n)
        if rule.ground == "AUTHORITY"
        else pl.when(alone).then(None).otherwise(pl.col(n)).alias(n)
        for rule, n in zip(rules, names, strict=True)
    )


def changed_rules(roster: pl.DataFrame, before: LawCatalog, after: LawCatalog) -> list[list[str]]:
    """For each result row of `screen(roster, ...)` (one per document where each names its
    authority), the rules whose outcome differs between the two laws; a rule reached on one
    side only counts where it does not pass there."""
    found: list[list[str]] = [[] for _ in range(roster.height)]
    for (targets, rules, old), (_, _, new) in zip(
        _outcomes(roster, before), _outcomes(roster, after), strict=True
    ):
        if old is None or new is None or not rules:
            continue
        old, new = _reached(rules, old), _reached(rules, new)
        flags = []
        for i in range(len(rules)):
            a, b = old.to_series(i), new.to_series(i)
            passes_a, passes_b = a.is_in([PASS, WAIVED]), b.is_in([PASS, WAIVED])
            differs = (a != b).fill_null(False)
            one_sided = (a.is_null() & b.is_not_null() & ~passes_b.fill_null(False)) | (
                b.is_null() & a.is_not_null() & ~passes_a.fill_null(False)
            )
            flags.append(pl.Series(f"_c{i}", differs | one_sided))
        table = pl.DataFrame(flags)
        listed = table.select(
            pl.concat_list(
                pl.when(pl.col(f"_c{i}")).then(pl.lit(rule.rule)).otherwise(None)
                for i, rule in enumerate(rules)
            )
            .list.drop_nulls()
            .alias("rules")
        ).to_series()
        for target, names in zip(targets.tolist(), listed.to_list(), strict=True):
            found[target] = names
    return found
