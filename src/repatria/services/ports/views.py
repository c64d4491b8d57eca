"""The views repository: the read models the pages show (dashboards, lists, the record's
timelines, the header's search, public statistics), each a query shaped as the page needs it.

Nothing here writes. A scope is a state's code (the cases and movements that involve it, the
people it holds or has a case about), or None for the roles that see everything: who sees
what is decided by the services (domain/access.py), never here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypedDict

from repatria.domain.accounts import User
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case, CaseState
from repatria.domain.movements import Movement
from repatria.domain.people import Person


@dataclass(frozen=True)
class CheckpointView:
    """A signed checkpoint as pages and documents show it."""

    tree_size: int
    root_hash: str
    signed_at: datetime
    key_id: str
    signature: str


@dataclass(frozen=True)
class EventMark:
    """Where the newest event about a subject sits in the record."""

    id: int
    seq: int
    command: str


@dataclass(frozen=True)
class EventLine:
    """One event as the record's lists show it."""

    id: int
    seq: int
    command: str
    subject_type: str
    subject_id: str
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    reason: str
    legal_basis: str


class PublicCount(TypedDict):
    """One raw count of the public statistics (small ones are suppressed by the caller)."""

    measure: str
    year: int
    authority: str
    from_state: str
    to_state: str
    count: int


class Views(Protocol):
    """The pages' read models inside one unit of work (read only)."""

    def latest_assessment(self, case_id: int) -> Assessment | None:
        """The most recent stored assessment of a case."""
        ...

    def users(self, ids: Collection[int]) -> list[User]:
        """The users with these ids (those that exist)."""
        ...

    def people(self, ids: Collection[int]) -> list[Person]:
        """The people with these ids (those that exist)."""
        ...

    def latest_checkpoint(self) -> CheckpointView | None:
        """The newest signed checkpoint."""
        ...

    def covering_checkpoint(self, seq: int) -> CheckpointView | None:
        """The first checkpoint whose tree includes the event at position seq."""
        ...

    def last_event(self, subject_type: str, subject_id: int) -> EventMark | None:
        """The newest event recorded about a subject."""
        ...

    def events(
        self,
        scope: str | None,
        *,
        limit: int,
        offset: int = 0,
        command: str | None = None,
        subject_type: str | None = None,
    ) -> list[EventLine]:
        """Events that name the scope's state (every event for None), newest first, filtered."""
        ...

    def count_events(
        self, scope: str | None, *, command: str | None = None, subject_type: str | None = None
    ) -> int:
        """How many events `events` would list without a limit."""
        ...

    def event_kinds(self) -> tuple[list[str], list[str]]:
        """The commands and the kinds of subject the record holds, each sorted."""
        ...

    def open_cases(
        self,
        scope: str | None,
        *,
        closed: Collection[CaseState],
        authorities: Collection[str] | None = None,
        untouched_since: datetime | None = None,
    ) -> Iterator[Case]:
        """Cases in scope in none of the closed states, least recently updated first; only
        under the authorities given, or only those last updated before a moment."""
        ...

    def departed_to(self, state: str) -> list[Movement]:
        """Movements that left for the state and have not yet arrived, oldest first."""
        ...

    def movements_between(
        self, scope: str | None, start: datetime, end: datetime
    ) -> list[Movement]:
        """Movements in scope planned to leave in [start, end), in order of departure."""
        ...

    def cases_ready_for(
        self, scope: str | None, movement: Movement, states: Collection[CaseState]
    ) -> list[Case]:
        """Cases in scope under the movement's authority and between its states, in one of
        the given states, by id."""
        ...

    def people_matching(
        self, scope: str | None, words: list[str], identifier: str, most: int
    ) -> list[Person]:
        """People in scope who carry the identifier (any scheme, any case) or whose names
        contain every word (lower case), by family name, at most `most`."""
        ...

    def cases_matching(
        self, scope: str | None, reference_part: str, person_ids: Collection[int], most: int
    ) -> list[Case]:
        """Cases in scope whose reference contains the text (any case) or that are about one
        of the people, newest first, at most `most`."""
        ...

    def public_counts(self, moved: Collection[CaseState], arrival: str) -> list[PublicCount]:
        """People moved (cases in a moved state, by the year of their `arrival` event, else of
        their last update) and cases opened, by year, authority and pair of states; and people
        placed under a custody agreement, by the year their stay began, payer and host."""
        ...
