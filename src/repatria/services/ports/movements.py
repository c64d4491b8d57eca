"""The movements repository: what the services read and change of movements and their
manifests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from repatria.domain.movements import ManifestEntry, Movement


@dataclass(frozen=True)
class OnTheWay:
    """Someone aboard a movement that has not arrived yet."""

    person_id: int
    planned_departure: datetime
    from_state: str


class Movements(Protocol):
    """Reads and changes movements inside one unit of work."""

    def get(self, movement_id: int) -> Movement | None:
        """The movement with that id, or None."""
        ...

    def last_sequence(self, authority: str, from_state: str, to_state: str) -> int | None:
        """The highest sequence number taken for an authority and pair of states, if any."""
        ...

    def add(self, movement: Movement) -> None:
        """Store a new movement; it has its id afterwards."""
        ...

    def update(self, movement: Movement) -> None:
        """Write a movement's changes now (its version is checked and advanced)."""
        ...

    def page(self, state: str | None, *, limit: int, offset: int) -> tuple[list[Movement], int]:
        """Movements involving a state (every one for None), newest first: one page of them,
        and how many there are in all."""
        ...

    def manifest(self, movement_id: int, *, on_board_only: bool = False) -> list[ManifestEntry]:
        """The manifest's entries (only those still aboard, if asked), in the order added."""
        ...

    def add_entry(self, entry: ManifestEntry) -> None:
        """Put a new entry on a manifest; it has its id afterwards."""
        ...

    def carrying(self, case_id: int) -> Movement | None:
        """The movement whose manifest the case is on (the latest, when it was moved), or None."""
        ...

    def references_aboard(self, movement_id: int) -> list[str]:
        """The references of the cases on the movement's manifest, in order."""
        ...

    def in_flight_to(self, state: str) -> list[OnTheWay]:
        """Everyone aboard a movement to a state that has not arrived yet (planned, manifest
        locked or departed)."""
        ...

    def departure_of(self, case_id: int) -> datetime | None:
        """When the latest movement that departed with the case aboard departed (None: none
        has)."""
        ...
