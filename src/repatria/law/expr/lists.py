"""Nodes over lists in the document: codes (citizenships) and objects (holds, orders)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from repatria.law.expr.nodes import Env, Expr, read_field


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
    return Env(env.document, env.facts, env.catalog, entry, env.read, env.language)


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
