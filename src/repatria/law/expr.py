"""A small expression language for checks, with three-valued logic (None is unknown).

Each check is written once (`law/checks/`) as ordered branches whose conditions are these
expressions. Two targets read the same definition: `evaluate` here answers for one document,
and `repatria.screening.compile` turns it into a Polars expression for a whole roster. A
missing fact makes a comparison unknown; `&` and `|` follow Kleene's logic (false & unknown is
false, true | unknown is true), as Polars does, and a branch is taken only when its condition
is true.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from repatria.law.arithmetic import add_days, add_months, age_on

if TYPE_CHECKING:
    from repatria.law.catalog import LawCatalog
    from repatria.law.document import AssessmentDocument
    from repatria.law.facts import ContextFacts
    from repatria.law.schema import Authority, Party


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


@dataclass(frozen=True, eq=False)
class Contains(Expr):
    """Whether a list of codes in the document (`person.citizenships`) holds a value."""

    list_path: str
    item: Expr

    def evaluate(self, env: Env) -> Any:
        listed, item = read_field(env.document, self.list_path), self.item.evaluate(env)
        return None if listed is None or item is None else item in listed


@dataclass(frozen=True, eq=False)
class Intersects(Expr):
    """Whether a list of codes in the document holds any of a constant list of codes."""

    list_path: str
    values: tuple[str, ...]

    def evaluate(self, env: Env) -> Any:
        listed = read_field(env.document, self.list_path)
        return None if listed is None else bool(set(listed) & set(self.values))


@dataclass(frozen=True, eq=False)
class AnyEntry(Expr):
    """Whether any entry of a list of objects (holds, orders) satisfies a condition on its
    `Member`s; unknown where the list is, or where no entry does and one is unknown."""

    list_path: str
    condition: Expr

    def entries(self, env: Env) -> list[tuple[Any, Any]] | None:
        """Each entry with the condition's value for it (None where the list is unknown)."""
        listed = read_field(env.document, self.list_path)
        if listed is None:
            return None
        return [(entry, self.condition.evaluate(_with_entry(env, entry))) for entry in listed]

    def evaluate(self, env: Env) -> Any:
        found = self.entries(env)
        if found is None:
            return None
        values = [value for _, value in found]
        if any(value is True for value in values):
            return True
        return None if any(value is None for value in values) else False


def _with_entry(env: Env, entry: Any) -> Env:
    return Env(env.document, env.facts, env.catalog, entry, env.read)


@dataclass(frozen=True, eq=False)
class MemberContains(Expr):
    """Inside `AnyEntry`: whether a list member of the entry (`by` of an exception) holds a
    value; unknown where the member or the value is."""

    name: str
    item: Expr

    def evaluate(self, env: Env) -> Any:
        listed, item = getattr(env.entry, self.name, None), self.item.evaluate(env)
        return None if listed is None or item is None else item in listed


@dataclass(frozen=True, eq=False)
class FirstEntry(Expr):
    """The first entry of an `AnyEntry`'s list that satisfies it (for reasons only)."""

    of: AnyEntry

    def evaluate(self, env: Env) -> Any:
        for entry, value in self.of.entries(env) or []:
            if value is True:
                return entry
        return None


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


def binding_entry(authority: Authority, state: str, on: date) -> Party | None:
    """The first verified entry of an authority's party chart that binds a state on a date."""
    for party in authority.parties:
        if (
            party.verified
            and party.state == state
            and party.from_ <= on
            and (party.until is None or on <= party.until)
        ):
            return party
    return None


def covers(party: Party, on: date) -> bool:
    """Whether a party entry's period includes a day."""
    return party.from_ <= on and (party.until is None or on <= party.until)


def bound_on(authority: Authority, state: str, on: date) -> bool | None:
    """Whether an authority binds a state on a date: true by a verified party entry; unknown
    where only an unverified entry covers the day, or the state is absent from a list not
    known to be complete (or complete only as of an earlier day); else false."""
    if binding_entry(authority, state, on):
        return True
    entries = [party for party in authority.parties if party.state == state]
    if any(not party.verified and covers(party, on) for party in entries):
        return None
    if entries or any(o.state == state and o.verified for o in authority.not_parties):
        return False
    listed = authority.party_list
    if listed is None or not listed.complete or (listed.as_of is not None and on > listed.as_of):
        return None
    return False


@dataclass(frozen=True, eq=False)
class PartyFrom(Expr):
    """The first day of the verified party entry that binds a state on a date (None where
    none does)."""

    authority_id: str
    state: Expr
    on: Expr

    def evaluate(self, env: Env) -> Any:
        state, on = self.state.evaluate(env), self.on.evaluate(env)
        authority = env.catalog.authorities.get(self.authority_id)
        if authority is None or state is None or on is None:
            return None
        entry = binding_entry(authority, state, on)
        return entry.from_ if entry else None


@dataclass(frozen=True, eq=False)
class BoundOn(Expr):
    """Whether an authority binds a state on a date, in three values (see `bound_on`)."""

    authority_id: str
    state: Expr
    on: Expr

    def evaluate(self, env: Env) -> Any:
        state, on = self.state.evaluate(env), self.on.evaluate(env)
        authority = env.catalog.authorities.get(self.authority_id)
        if authority is None:
            return False
        return None if state is None or on is None else bound_on(authority, state, on)


@dataclass(frozen=True, eq=False)
class Listed(Expr):
    """Whether a state has any entry in an authority's party chart."""

    authority_id: str
    state: Expr

    def evaluate(self, env: Env) -> Any:
        state = self.state.evaluate(env)
        authority = env.catalog.authorities.get(self.authority_id)
        if authority is None:
            return False
        return None if state is None else any(p.state == state for p in authority.parties)


@dataclass(frozen=True, eq=False)
class AuthorityRef(Expr):
    """An authority's data from the catalog (for reasons only)."""

    authority_id: str

    def evaluate(self, env: Env) -> Any:
        return env.catalog.authorities.get(self.authority_id)


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
