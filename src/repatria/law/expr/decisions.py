"""Decisions: ordered branches of (condition, outcome and reason), and their evaluation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from repatria.law.expr.nodes import Env, Expr, Field, lift


@dataclass(frozen=True, eq=False)
class Text(Expr):
    """Words for a reason, made by a Python function from other values. Reasons only: a
    condition never reads one, so the roster compiler has no need of it."""

    function: Callable[..., str]
    parts: tuple[Expr, ...] = ()

    def evaluate(self, env: Env) -> Any:
        return self.function(*(part.evaluate(env) for part in self.parts))


def text(function: Callable[..., str], *parts: object) -> Text:
    """Reason words from values: `text(lambda names: ", ".join(names), Field(...))`."""
    return Text(function, tuple(lift(part) for part in parts))


# A check's result: an outcome and a reason template, or a further decision.
@dataclass(frozen=True)
class Leaf:
    """An outcome with the template of its reason (`{name}` reads a named value)."""

    outcome: str
    template: str


Branch = tuple[Expr, "Leaf | Decide"]


@dataclass(frozen=True)
class Decide:
    """Ordered branches: the first whose condition holds decides; else `otherwise`.
    `values` names what the reasons' templates may read."""

    branches: tuple[Branch, ...]
    otherwise: Leaf | Decide
    values: Mapping[str, Expr] = field(default_factory=dict)


# Values every reason may name.
_EVERY_REASON: dict[str, Expr] = {"from": Field("from"), "to": Field("to"), "as_of": Field("as_of")}


def decide(
    *branches: tuple[Expr, Leaf | Decide], otherwise: Leaf | Decide, **values: object
) -> Decide:
    """A decision from `(condition, result)` pairs, in order, and the named reason values."""
    named = {**_EVERY_REASON, **{name: lift(value) for name, value in values.items()}}
    return Decide(tuple(branches), otherwise, named)


def passing(template: str) -> Leaf:
    """A passing result with its reason template."""
    return Leaf("pass", template)


def failing(template: str) -> Leaf:
    """A failing result with its reason template."""
    return Leaf("fail", template)


def unknown(template: str) -> Leaf:
    """An undecided result (it never passes) with its reason template."""
    return Leaf("unknown", template)


def waived(template: str) -> Leaf:
    """A failing condition both states agreed to waive, as the instrument allows."""
    return Leaf("waived", template)


@dataclass(frozen=True, eq=False)
class OutcomeIs(Expr):
    """Whether a decision's outcome is the one named (true or false, never unknown)."""

    decision: Decide
    outcome: str

    def evaluate(self, env: Env) -> Any:
        return run(self.decision, env)[0] == self.outcome


def passes(decision: Decide) -> Expr:
    """Whether a decision passes."""
    return OutcomeIs(decision, "pass")


def fails(decision: Decide) -> Expr:
    """Whether a decision fails."""
    return OutcomeIs(decision, "fail")


@dataclass(frozen=True, eq=False)
class ReasonOf(Expr):
    """The reason a decision gives (for reasons only)."""

    decision: Decide

    def evaluate(self, env: Env) -> Any:
        return run(self.decision, env)[1]


class _Values(dict[str, Any]):
    """Named values, each evaluated when a template first reads it."""

    def __init__(self, named: Mapping[str, Expr], env: Env) -> None:
        super().__init__()
        self._named, self._env = named, env

    def __missing__(self, key: str) -> Any:
        value = self._named[key].evaluate(self._env)
        self[key] = value
        return value


def run(decision: Decide, env: Env, inherited: Mapping[str, Expr] | None = None) -> tuple[str, str]:
    """The outcome and the formatted reason of a decision for one document."""
    named = {**inherited, **decision.values} if inherited else decision.values
    result: Leaf | Decide = decision.otherwise
    for condition, then in decision.branches:
        if condition.evaluate(env) is True:
            result = then
            break
    if isinstance(result, Decide):
        return run(result, env, named)
    return result.outcome, result.template.format_map(_Values(named, env))
