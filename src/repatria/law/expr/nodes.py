"""The core of the expression language: the environment, facts, comparisons and logic."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from repatria.law.catalog import LawCatalog
    from repatria.law.document import AssessmentDocument
    from repatria.law.facts import ContextFacts
    from repatria.law.language import Language


@dataclass(frozen=True)
class Movement:
    """Only who sends, who receives and when: enough to ask whether an authority binds."""

    from_state: str
    to_state: str
    as_of: date


@dataclass(frozen=True)
class Env:
    """What an expression is evaluated against: one document, its database facts, the law."""

    document: AssessmentDocument | Movement
    facts: ContextFacts
    catalog: LawCatalog
    entry: Any = None  # the list entry a `Member` reads, inside `AnyEntry`
    # Facts already read from the document (a check reads the same ones many times).
    read: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    language: Language = "en"  # the language reasons are formatted in


class Expr:
    """A node of a check's condition or of a value its reason names."""

    def evaluate(self, env: Env) -> Any:
        """The value for one document (None: unknown)."""
        raise NotImplementedError

    # Building expressions reads as the rule does: `years < minimum`, `a & b`, `~known`.
    def __and__(self, other: object) -> Expr:
        return And((self, lift(other)))

    def __or__(self, other: object) -> Expr:
        return Or((self, lift(other)))

    def __invert__(self) -> Expr:
        return Not(self)

    def __lt__(self, other: object) -> Expr:
        return Compare("<", self, lift(other))

    def __le__(self, other: object) -> Expr:
        return Compare("<=", self, lift(other))

    def __gt__(self, other: object) -> Expr:
        return Compare(">", self, lift(other))

    def __ge__(self, other: object) -> Expr:
        return Compare(">=", self, lift(other))

    def __add__(self, other: object) -> Expr:
        return Arithmetic("+", self, lift(other))

    def __sub__(self, other: object) -> Expr:
        return Arithmetic("-", self, lift(other))

    def eq(self, other: object) -> Expr:
        """Equal (unknown where either side is)."""
        return Compare("==", self, lift(other))

    def ne(self, other: object) -> Expr:
        """Not equal (unknown where either side is)."""
        return Compare("!=", self, lift(other))

    def is_null(self) -> Expr:
        """Whether the value is unknown (never itself unknown)."""
        return IsNull(self)

    def is_known(self) -> Expr:
        """Whether the value is known (never itself unknown)."""
        return Not(IsNull(self))

    def is_in(self, values: Sequence[Any]) -> Expr:
        """Whether the value is one of a constant list (unknown where the value is)."""
        return IsIn(self, tuple(values))

    def otherwise(self, default: object) -> Expr:
        """The value, or `default` where it is unknown."""
        return Coalesce((self, lift(default)))


def lift(value: object) -> Expr:
    """An expression as it is, anything else as a constant."""
    return value if isinstance(value, Expr) else Const(value)


@dataclass(frozen=True, eq=False)
class Const(Expr):
    """A constant (a parameter's value in force, or a literal of the rule)."""

    value: Any

    def evaluate(self, env: Env) -> Any:
        return self.value


@dataclass(frozen=True, eq=False)
class Field(Expr):
    """A fact of the §4 document by its dotted name (`sentence.final`, `to`, `as_of`)."""

    path: str

    def evaluate(self, env: Env) -> Any:
        try:
            return env.read[self.path]
        except KeyError:
            value = env.read[self.path] = read_field(env.document, self.path)
            return value


def read_field(document: AssessmentDocument | Movement, path: str) -> Any:
    """A document's fact by its dotted roster name; None where it or its parent is absent."""
    special = _SPECIAL_FIELDS.get(path)
    if special is not None:
        return special(document)
    value: Any = document
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _departure_day(document: AssessmentDocument | Movement) -> date | None:
    departure = getattr(document, "departure_at", None)
    return departure.date() if departure else None


_SPECIAL_FIELDS: dict[str, Callable[[AssessmentDocument | Movement], Any]] = {
    "from": lambda document: document.from_state,
    "to": lambda document: document.to_state,
    "departure_day": _departure_day,
}


@dataclass(frozen=True, eq=False)
class Member(Expr):
    """A member of the list entry being tested inside `AnyEntry` (`issued_on` of a hold)."""

    name: str

    def evaluate(self, env: Env) -> Any:
        return getattr(env.entry, self.name, None)


@dataclass(frozen=True, eq=False)
class Fact(Expr):
    """A database fact the caller supplies (`ContextFacts`), unknown when not supplied."""

    name: str

    def evaluate(self, env: Env) -> Any:
        return getattr(env.facts, self.name)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True, eq=False)
class Compare(Expr):
    """A comparison; unknown where either side is."""

    op: str
    left: Expr
    right: Expr

    def evaluate(self, env: Env) -> Any:
        left, right = self.left.evaluate(env), self.right.evaluate(env)
        if left is None or right is None:
            return None
        return _COMPARE[self.op](left, right)


@dataclass(frozen=True, eq=False)
class Arithmetic(Expr):
    """A sum or difference of numbers (or a date and days); unknown where either side is."""

    op: str
    left: Expr
    right: Expr

    def evaluate(self, env: Env) -> Any:
        left, right = self.left.evaluate(env), self.right.evaluate(env)
        if left is None or right is None:
            return None
        return left + right if self.op == "+" else left - right


@dataclass(frozen=True, eq=False)
class And(Expr):
    """All hold: false if any is false, else unknown if any is unknown."""

    parts: tuple[Expr, ...]

    def evaluate(self, env: Env) -> Any:
        values = [part.evaluate(env) for part in self.parts]
        if any(value is False for value in values):
            return False
        return None if any(value is None for value in values) else True


@dataclass(frozen=True, eq=False)
class Or(Expr):
    """Any holds: true if any is true, else unknown if any is unknown."""

    parts: tuple[Expr, ...]

    def evaluate(self, env: Env) -> Any:
        values = [part.evaluate(env) for part in self.parts]
        if any(value is True for value in values):
            return True
        return None if any(value is None for value in values) else False


def any_of(*parts: Expr) -> Expr:
    """True where any part holds (false for none), in three-valued logic."""
    return Or(tuple(parts)) if parts else Const(False)


def all_of(*parts: Expr) -> Expr:
    """True where every part holds (true for none), in three-valued logic."""
    return And(tuple(parts)) if parts else Const(True)


@dataclass(frozen=True, eq=False)
class Not(Expr):
    """The opposite; unknown stays unknown."""

    part: Expr

    def evaluate(self, env: Env) -> Any:
        value = self.part.evaluate(env)
        return None if value is None else not value


@dataclass(frozen=True, eq=False)
class IsNull(Expr):
    """Whether a value is unknown."""

    part: Expr

    def evaluate(self, env: Env) -> Any:
        return self.part.evaluate(env) is None


@dataclass(frozen=True, eq=False)
class IsIn(Expr):
    """Whether a value is one of a constant list; unknown where the value is."""

    part: Expr
    values: tuple[Any, ...]

    def evaluate(self, env: Env) -> Any:
        value = self.part.evaluate(env)
        return None if value is None else value in self.values


@dataclass(frozen=True, eq=False)
class Coalesce(Expr):
    """The first known value."""

    parts: tuple[Expr, ...]

    def evaluate(self, env: Env) -> Any:
        for part in self.parts:
            value = part.evaluate(env)
            if value is not None:
                return value
        return None


@dataclass(frozen=True, eq=False)
class IfElse(Expr):
    """`then` where the condition holds, else `otherwise` (unknown condition: otherwise)."""

    condition: Expr
    then: Expr
    otherwise_: Expr

    def evaluate(self, env: Env) -> Any:
        chosen = self.then if self.condition.evaluate(env) is True else self.otherwise_
        return chosen.evaluate(env)
