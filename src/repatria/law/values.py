"""Reading a parameter as of a date: the latest dated value in force, with per-state values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from repatria.law.schema import DatedValue, Parameter


@dataclass(frozen=True)
class ValueInForce:
    """The value a parameter takes on a date, and the dated entry it comes from."""

    name: str
    value: Any
    entry: DatedValue
    state: str | None = None

    def cite(self) -> str:
        """Plain words for the value used and its legal reference."""
        scope = f" for {self.state}" if self.state else ""
        source = self.entry.citation.render()
        return f"{self.name} = {self.value}{scope} from {self.entry.from_} ({source})"


def value_on(
    name: str, parameter: Parameter, on: date, states: Iterable[str]
) -> ValueInForce | None:
    """The value in force on a date (a state-specific value wins), or None before the first."""
    entries = [entry for entry in parameter.values if entry.from_ <= on]
    if not entries:
        return None
    entry = entries[-1]
    for state in states:
        if state in entry.by_state:
            return ValueInForce(name, entry.by_state[state], entry, state)
    return ValueInForce(name, entry.value, entry)
