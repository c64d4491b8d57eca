"""Which rules' outcomes differ between two laws over the same roster, vectorised (for the
impact of an amendment: the rules responsible for each changed verdict)."""

from __future__ import annotations

import polars as pl

from repatria.law.catalog import LawCatalog
from repatria.screening.compile import FAIL, PASS, WAIVED
from repatria.screening.evaluate import RuleColumn
from repatria.screening.verdicts import rule_outcomes


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


def _changed(old: pl.Series, new: pl.Series) -> pl.Series:
    """Where a rule's outcome differs; a rule reached on one side only counts where it does
    not pass there."""
    passes_old, passes_new = old.is_in([PASS, WAIVED]), new.is_in([PASS, WAIVED])
    differs = (old != new).fill_null(False)
    one_sided = (old.is_null() & new.is_not_null() & ~passes_new.fill_null(False)) | (
        new.is_null() & old.is_not_null() & ~passes_old.fill_null(False)
    )
    return differs | one_sided


def changed_rules(
    roster: pl.DataFrame, before: LawCatalog, after: LawCatalog
) -> list[tuple[str, ...]]:
    """For each result row of `screen(roster, ...)` (one per document where each names its
    authority), the rules whose outcome differs between the two laws."""
    found: list[tuple[str, ...]] = [()] * roster.height
    # Rows share a few sets of rules: each set is one tuple, looked up by its text.
    known: dict[str, tuple[str, ...]] = {"": ()}
    for old_part, new_part in zip(
        rule_outcomes(roster, before), rule_outcomes(roster, after), strict=True
    ):
        rules, old, new = old_part.rules, old_part.outcomes, new_part.outcomes
        if old is None or new is None or not rules:
            continue
        old, new = _reached(rules, old), _reached(rules, new)
        flags = pl.DataFrame(
            _changed(old.to_series(i), new.to_series(i)).alias(f"_c{i}") for i in range(len(rules))
        )
        listed = flags.select(
            pl.concat_list(
                pl.when(pl.col(f"_c{i}")).then(pl.lit(rule.rule)).otherwise(None)
                for i, rule in enumerate(rules)
            )
            .list.drop_nulls()
            .list.join("\n")  # a rule id has no line break
        ).to_series()
        for target, text in zip(old_part.targets.tolist(), listed.to_list(), strict=True):
            names = known.get(text)
            if names is None:
                names = known[text] = tuple(text.split("\n"))
            found[target] = names
    return found
