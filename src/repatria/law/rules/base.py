"""What every check shares: its context, its finding, and the registry of check names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from repatria.law.document import AssessmentDocument
from repatria.law.facts import ContextFacts
from repatria.law.schema import Authority

Outcome = Literal["pass", "fail", "unknown"]


@dataclass(frozen=True)
class Finding:
    """The outcome of one check and the reason for it, in plain words."""

    outcome: Outcome
    reason: str


def passed(reason: str) -> Finding:
    """A check that passes."""
    return Finding("pass", reason)


def failed(reason: str) -> Finding:
    """A check that fails."""
    return Finding("fail", reason)


def unknown(reason: str) -> Finding:
    """A check that cannot be decided on the facts given (it never passes)."""
    return Finding("unknown", reason)


@dataclass(frozen=True)
class RuleContext:
    """What a check may look at: the document, the authority's data and database facts."""

    document: AssessmentDocument
    authority: Authority
    facts: ContextFacts = field(default_factory=ContextFacts)

    @property
    def as_of(self) -> date:
        """The date the assessment speaks for."""
        return self.document.as_of

    @property
    def citizenships(self) -> list[str] | None:
        """The person's citizenships, or None when unknown."""
        return self.document.person.citizenships


CheckFunction = Callable[[RuleContext, Mapping[str, Any]], Finding]
ParamKind = Callable[[object], bool]


def is_int(value: object) -> bool:
    """A whole number (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """A whole or decimal number (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_bool(value: object) -> bool:
    """True or false."""
    return isinstance(value, bool)


def is_str(value: object) -> bool:
    """A string (it may be empty)."""
    return isinstance(value, str)


def is_str_list(value: object) -> bool:
    """A list of strings."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


@dataclass(frozen=True)
class CheckSpec:
    """A named check: its function and the parameters (with their kinds) it needs."""

    function: CheckFunction
    params: Mapping[str, ParamKind]


REGISTRY: dict[str, CheckSpec] = {}


def check(name: str, **params: ParamKind) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under the name law data uses for it."""

    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY[name] = CheckSpec(function, params)
        return function

    return register
