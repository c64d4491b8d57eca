"""The people repository: what the services read and change of the people in custody and of
their details (citizenships, identifiers, sentences, protection orders, holds, removal orders)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from repatria.domain.people import Person


@dataclass(frozen=True)
class PeopleFilter:
    """Which people a listing holds: those `seen_by` a state (held by it or party to a case
    involving it; None: everyone), and any of the narrower conditions given. `name` is a part
    of the family or given names, in any case, its % and _ matched as themselves."""

    seen_by: str | None = None
    citizenship: str | None = None
    held_by_state: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class SentenceTerm:
    """One sentence's term, as release dates are reckoned from it."""

    person_id: int
    start_date: date
    length_days: int | None
    credit_days: int
    indeterminate: bool


class People(Protocol):
    """Reads and changes people inside one unit of work."""

    def get(self, person_id: int, *, seen_by: str | None = None) -> Person | None:
        """The person, if `seen_by` sees them (None: whoever asks); otherwise None."""

    def add(self, person: Person) -> None:
        """Store a new person with their details; they have their ids afterwards."""

    def update(self, person: Person) -> None:
        """Store the changes to the person and their details now; Conflict if someone else did."""

    def holder_of(self, scheme: str, value: str) -> int | None:
        """The id of the person this identifier belongs to, or None."""

    def page(self, which: PeopleFilter, *, limit: int, offset: int) -> tuple[list[Person], int]:
        """A page of the people, by id, and how many there are across every page."""

    def identifiers_held(self, identifiers: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (scheme, value) identifiers someone already carries."""

    def sentence_terms(self, person_ids: Collection[int]) -> list[SentenceTerm]:
        """The terms of these people's sentences, in the order they were recorded."""
