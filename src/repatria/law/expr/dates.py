"""Nodes of calendar arithmetic: months, days, ages, hours, the later of two dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from repatria.law.arithmetic import add_days, add_months, age_on
from repatria.law.expr.nodes import Env, Expr


@dataclass(frozen=True, eq=False)
class AddMonths(Expr):
    """A date plus N calendar months, clamped to the month's end (31 Aug + 6 = 28 Feb)."""

    start: Expr
    months: int

    def evaluate(self, env: Env) -> Any:
        start = self.start.evaluate(env)
        return None if start is None else add_months(start, self.months)


@dataclass(frozen=True, eq=False)
class AddDays(Expr):
    """A date plus a number of days."""

    start: Expr
    days: Expr

    def evaluate(self, env: Env) -> Any:
        start, days = self.start.evaluate(env), self.days.evaluate(env)
        return None if start is None or days is None else add_days(start, days)


@dataclass(frozen=True, eq=False)
class AgeOn(Expr):
    """Age in completed years on a date (a 29 February birthday falls on 1 March)."""

    birth: Expr
    on: Expr

    def evaluate(self, env: Env) -> Any:
        birth, on = self.birth.evaluate(env), self.on.evaluate(env)
        return None if birth is None or on is None else age_on(birth, on)


@dataclass(frozen=True, eq=False)
class HoursBetween(Expr):
    """Hours from one moment to a later one (as timedelta.total_seconds() / 3600)."""

    start: Expr
    end: Expr

    def evaluate(self, env: Env) -> Any:
        start, end = self.start.evaluate(env), self.end.evaluate(env)
        if start is None or end is None:
            return None
        span: timedelta = end - start
        return span.total_seconds() / 3600


@dataclass(frozen=True, eq=False)
class LaterOf(Expr):
    """The later of two dates (unknown where either is)."""

    first: Expr
    second: Expr

    def evaluate(self, env: Env) -> Any:
        first, second = self.first.evaluate(env), self.second.evaluate(env)
        return None if first is None or second is None else max(first, second)
