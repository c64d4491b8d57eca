"""The vectorised evaluator mirrors the per-case engine: every check, field and calendar rule."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from pydantic import BaseModel

from repatria.law import arithmetic
from repatria.law import expr as law
from repatria.law.document import AssessmentDocument
from repatria.screening.arithmetic import add_months, age_on
from repatria.screening.compile import compile_expr
from repatria.screening.fields import FIELDS, GROUPS

DAYS = [date(2019, 1, 1) + timedelta(days=n) for n in range(366 * 6)]


REASONS_ONLY = {law.Text, law.FirstEntry, law.ReasonOf, law.AuthorityRef}


def test_every_node_a_condition_may_hold_compiles_for_the_roster() -> None:
    nodes = {
        node
        for node in vars(law).values()
        if isinstance(node, type) and issubclass(node, law.Expr) and node is not law.Expr
    }
    assert nodes - REASONS_ONLY <= set(compile_expr.registry)
    assert not REASONS_ONLY & set(compile_expr.registry)


def _dotted(model: type[BaseModel], prefix: str = "") -> set[str]:
    names = set()
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or name)
        inner = [a for a in getattr(field.annotation, "__args__", ()) if isinstance(a, type)]
        nested = [a for a in inner if issubclass(a, BaseModel)]
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            nested = [field.annotation]
        names |= _dotted(nested[0], key + ".") if nested and key not in GROUPS else {key}
    return names


def test_the_roster_columns_are_exactly_the_documents_fields() -> None:
    assert _dotted(AssessmentDocument) == set(FIELDS) | set(GROUPS)


@pytest.mark.parametrize("months", [1, 6, 12, -216])
def test_calendar_months_clamp_to_the_end_of_the_month_as_the_engine_does(months: int) -> None:
    frame = pl.DataFrame({"day": DAYS})
    found = frame.select(add_months(pl.col("day"), months))["day"].to_list()
    assert found == [arithmetic.add_months(day, months) for day in DAYS]


def test_ages_turn_over_on_the_same_days_as_the_engine_including_leap_birthdays() -> None:
    births = [date(2000, 2, 29), date(2001, 2, 28), date(2001, 3, 1), date(2004, 12, 31)]
    pairs = [(birth, day) for birth in births for day in DAYS]
    frame = pl.DataFrame({"birth": [b for b, _ in pairs], "on": [d for _, d in pairs]})
    found = frame.select(age_on(pl.col("birth"), pl.col("on")).alias("age"))["age"].to_list()
    assert found == [arithmetic.age_on(birth, day) for birth, day in pairs]
