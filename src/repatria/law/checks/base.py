"""The registry of checks: each defined once, as a decision built from its parameters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from repatria.law.expr import Decide
from repatria.law.language import Words
from repatria.law.schema import Authority

ParamKind = Callable[[object], bool]
# A check's definition: from its parameters' values in force (constants for one evaluation)
# and the authority it runs under, the ordered branches that decide it.
Build = Callable[[Mapping[str, Any], Authority], Decide]


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
class CheckDefinition:
    """A named check: its title in English and Spanish, the parameters (with their kinds) it
    takes, and how it decides."""

    name: str
    params: Mapping[str, ParamKind]
    build: Build
    title: Words

    def decision(self, params: Mapping[str, Any], authority: Authority) -> Decide:
        """The decision for these parameter values and this authority's data, built once and
        then reused."""
        # Keyed by the authority object, not its id: a catalog with local amendments has
        # another object under the same id (some checks build its agreements into the
        # decision). The entry holds the object, so its id() is not reused while cached.
        key = (self.name, id(authority), _frozen(params))
        found = _BUILT.get(key)
        if found is None or found[0] is not authority:
            found = _BUILT[key] = (authority, self.build(params, authority))
        return found[1]


def _frozen(value: Any) -> Any:
    """A hashable copy of parameter values (lists become tuples, mappings sorted pairs)."""
    if isinstance(value, Mapping):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


_BUILT: dict[tuple[str, int, Any], tuple[Authority, Decide]] = {}
CHECKS: dict[str, CheckDefinition] = {}


def check(name: str, *, title: Words, **params: ParamKind) -> Callable[[Build], Build]:
    """Register a check's definition under the name law data uses for it, with its title in
    English and Spanish."""

    def register(build: Build) -> Build:
        CHECKS[name] = CheckDefinition(name, params, build, title)
        return build

    return register
