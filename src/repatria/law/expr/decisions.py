"""Decisions: ordered branches of (condition, outcome and reason), and their evaluation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from string import Formatter
from typing import Any

from repatria.law.expr.nodes import Env, Expr, Field, lift
from repatria.law.language import Language, country, rendered


@dataclass(frozen=True, eq=False)
class Text(Expr):
    """Words for a reason, made by a Python function from the language of the reason and
    other values. Reasons only: a condition never reads one, so the roster compiler has no
    need of it."""

    function: Callable[..., str]
    parts: tuple[Expr, ...] = ()

    def evaluate(self, env: Env) -> Any:
        return self.function(env.language, *(part.evaluate(env) for part in self.parts))


def text(function: Callable[..., str], *parts: object) -> Text:
    """Reason words from the language and values, the function writing every language it
    is asked for: `text(lambda language, codes: countries(language, codes, NONE), Field(...))`."""
    return Text(function, tuple(lift(part) for part in parts))


# A check's result: an outcome and a reason template, or a further decision.
@dataclass(frozen=True)
class Leaf:
    """An outcome with the template of its reason (`{name}` reads a named value), in English
    and, beside it, in Spanish, naming the same values."""

    outcome: str
    template: str
    es: str

    def __post_init__(self) -> None:
        english, spanish = placeholders(self.template), placeholders(self.es)
        if not self.es.strip() or english != spanish:
            raise ValueError(
                f"the Spanish of the reason {self.template!r} must name the same values"
                f" ({sorted(english)}), not {sorted(spanish)}: {self.es!r}"
            )

    def template_in(self, language: Language) -> str:
        """The reason's template in `language`."""
        return self.es if language == "es" else self.template


@lru_cache(maxsize=2048)
def placeholders(template: str) -> frozenset[str]:
    """The names of the values a reason template reads (`{left}`, `{years:g}`)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name is not None)


Branch = tuple[Expr, "Leaf | Decide"]


@dataclass(frozen=True)
class Decide:
    """Ordered branches: the first whose condition holds decides; else `otherwise`.
    `values` names what the reasons' templates may read."""

    branches: tuple[Branch, ...]
    otherwise: Leaf | Decide
    values: Mapping[str, Expr] = field(default_factory=dict)


# Values every reason may name (the states by their codes in English, their names in Spanish).
_EVERY_REASON: dict[str, Expr] = {
    "from": Text(country, (Field("from"),)),
    "to": Text(country, (Field("to"),)),
    "as_of": Field("as_of"),
}


def decide(
    *branches: tuple[Expr, Leaf | Decide], otherwise: Leaf | Decide, **values: object
) -> Decide:
    """A decision from `(condition, result)` pairs, in order, and the named reason values."""
    named = {**_EVERY_REASON, **{name: lift(value) for name, value in values.items()}}
    return Decide(tuple(branches), otherwise, named)


def passing(template: str, *, es: str) -> Leaf:
    """A passing result with its reason template, in English and in Spanish."""
    return Leaf("pass", template, es)


def failing(template: str, *, es: str) -> Leaf:
    """A failing result with its reason template, in English and in Spanish."""
    return Leaf("fail", template, es)


def unknown(template: str, *, es: str) -> Leaf:
    """An undecided result (it never passes) with its reason template, in English and in Spanish."""
    return Leaf("unknown", template, es)


def waived(template: str, *, es: str) -> Leaf:
    """A failing condition both states agreed to waive, as the instrument allows (the reason
    in English and in Spanish)."""
    return Leaf("waived", template, es)


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
        value = rendered(self._named[key].evaluate(self._env), self._env.language)
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
    template = result.es if env.language == "es" else result.template
    return result.outcome, template.format_map(_Values(named, env))
