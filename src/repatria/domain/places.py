"""Facilities, units, cells and stays as stored records, and their pure counterparts.

The pure types of `repatria.domain.facilities` are frozen, which a mapper cannot fill in; these
plain records are what the database holds, and each turns into the pure type for computing.
Ids in the pure types are the records' ids as text (the allocator's ids are text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from repatria.domain.facilities import Cell, Facility, Occupancy, Stay, Unit


@dataclass(eq=False)
class FacilityRecord:
    """A place of detention run by one state, with the space standard its operator chose."""

    code: str
    name: str
    state: str
    standard: str
    created_at: datetime
    updated_at: datetime
    declared_capacity: int | None = None
    version: int = 1
    id: int | None = None


@dataclass(eq=False)
class UnitRecord:
    """A unit (building, pavilion, wing) of a facility."""

    facility_id: int
    code: str
    name: str
    declared_capacity: int | None = None
    id: int | None = None


@dataclass(eq=False)
class CellRecord:
    """A cell: floor area, the sanitary annex inside it, beds, security level and design."""

    unit_id: int
    code: str
    floor_area_m2: Decimal
    sanitary_area_m2: Decimal
    beds: int
    security_level: str
    occupancy: Occupancy = Occupancy.SHARED
    declared_capacity: int | None = None
    id: int | None = None

    def as_cell(self) -> Cell:
        """The pure cell, for standard capacity and allocation."""
        return Cell(
            id=str(self.id),
            floor_area_m2=self.floor_area_m2,
            sanitary_area_m2=self.sanitary_area_m2,
            beds=self.beds,
            security_level=self.security_level,
            occupancy=self.occupancy,
            declared_capacity=self.declared_capacity,
        )


@dataclass(eq=False)
class StayRecord:
    """A person held in a cell from arrival (counted) to release (not counted; None = open).

    The security level and any group affiliation the allocator used travel with the stay, so
    the next allocation keeps rivals apart from the people already there. An affiliation is
    used only for separation and is never a legal ground for anything.
    """

    person_id: int
    cell_id: int
    arrival: date
    security_level: str
    placed_at: datetime
    release: date | None = None
    contract_id: int | None = None
    placed_by: int | None = None
    affiliation_group: str | None = None
    affiliation_source: str | None = None
    affiliation_recorded_on: date | None = None
    affiliation_verified: bool | None = None
    id: int | None = None

    def as_stay(self) -> Stay:
        """The pure stay, for occupancy and forecasts."""
        return Stay(str(self.person_id), str(self.cell_id), self.arrival, self.release)

    def held_on(self, day: date) -> bool:
        """Whether the person is in the cell on that day: arrival counts, release day does not."""
        return self.arrival <= day and (self.release is None or day < self.release)


def as_facility(
    facility: FacilityRecord,
    units: Sequence[UnitRecord],
    cells: Iterable[CellRecord],
) -> Facility:
    """The pure facility from its records, units and cells in the order given."""
    by_unit: Mapping[int | None, list[CellRecord]] = _group(cells)
    return Facility(
        id=str(facility.id),
        name=facility.name,
        state=facility.state,
        declared_capacity=facility.declared_capacity,
        units=tuple(
            Unit(
                id=str(unit.id),
                name=unit.name,
                cells=tuple(cell.as_cell() for cell in by_unit.get(unit.id, [])),
                declared_capacity=unit.declared_capacity,
            )
            for unit in units
        ),
    )


def _group(cells: Iterable[CellRecord]) -> dict[int | None, list[CellRecord]]:
    grouped: dict[int | None, list[CellRecord]] = {}
    for cell in cells:
        grouped.setdefault(cell.unit_id, []).append(cell)
    return grouped
