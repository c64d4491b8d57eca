"""The facilities repository: what the services read and change of facilities, their units and
cells, and the stays of the people held in them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from repatria.domain.places import CellRecord, FacilityRecord, StayRecord, UnitRecord


@dataclass(frozen=True)
class ExpectedArrival:
    """Someone the facility may receive: held by its state and in no cell, or on their way
    there under a case that has passed every legal gate (services/allocation.ARRIVING)."""

    person_id: int
    name: str
    held_by_state: str
    case_reference: str | None
    stage: str | None


class Facilities(Protocol):
    """Reads and changes facilities inside one unit of work."""

    def get(self, facility_id: int) -> FacilityRecord | None:
        """The facility with that id, or None."""
        ...

    def by_code(self, code: str) -> FacilityRecord | None:
        """The facility with that code, or None."""
        ...

    def seen_by(self, state: str | None) -> list[FacilityRecord]:
        """Facilities the state runs or pays for custody in (every one for None), by code."""
        ...

    def run_by(self, state: str, among: set[int] | None = None) -> list[FacilityRecord]:
        """The facilities a state runs (only those among the ids given, if any are)."""
        ...

    def count_run_by(self, state: str) -> int:
        """How many facilities a state runs."""
        ...

    def add(self, facility: FacilityRecord) -> None:
        """Store a new facility; it has its id afterwards."""
        ...

    def add_unit(self, unit: UnitRecord) -> None:
        """Store a new unit of a facility; it has its id afterwards."""
        ...

    def add_cells(self, cells: Iterable[CellRecord]) -> None:
        """Store new cells of a unit, in the order given."""
        ...

    def units(self, facility_id: int) -> list[UnitRecord]:
        """The facility's units, by code."""
        ...

    def cells(self, unit_ids: Iterable[int | None]) -> list[CellRecord]:
        """The cells of those units, by unit, then in the order they were recorded."""
        ...

    def stays_in(self, facility_id: int) -> list[StayRecord]:
        """Every stay, past, present or booked, in the facility's cells, in the order recorded."""
        ...

    def stay(self, stay_id: int) -> StayRecord | None:
        """The stay with that id, or None."""
        ...

    def add_stays(self, stays: Iterable[StayRecord]) -> None:
        """Store new stays, and write the changes made to stays already stored."""
        ...

    def update_stay(self, stay: StayRecord) -> None:
        """Write a stay's changes now."""
        ...

    def expected_arrivals(
        self, state: str, arriving: Iterable[str], limit: int
    ) -> list[ExpectedArrival]:
        """People in no cell whom a state's facility may receive: held by that state, or on
        their way there under a case at one of the `arriving` stages; at most `limit` of each."""
        ...
