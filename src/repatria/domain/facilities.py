"""Facilities against space standards: cells, standard capacity, occupancy by day and a forecast.

Pure and stdlib only. Areas are `Decimal` so that a cell of exactly 4.0 m² per person is judged
exactly. The formulas, and why, are in docs/facilities.md.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from repatria.domain.errors import InvalidInput
from repatria.i18n import N_


class SharedRule(enum.StrEnum):
    """How a standard's area requirement grows with the number of people in a shared cell."""

    PER_PERSON = "per_person"  # n >= 2 people need n * per-person minimum
    SINGLE_PLUS_ADDITIONAL = "single_plus_additional"  # n people need single + (n - 1) * per-person


class Occupancy(enum.StrEnum):
    """Whether a cell is designed for one person or for several."""

    SINGLE = "single"
    SHARED = "shared"


@dataclass(frozen=True, slots=True)
class SpaceStandard:
    """A minimum-living-space standard as in force from a date, with its source."""

    code: str
    name: str
    single_cell_m2: Decimal
    shared_per_person_m2: Decimal
    shared_rule: SharedRule
    effective: date
    citation: str
    url: str
    verified: bool

    def required_area(self, people: int) -> Decimal:
        """Usable area (m², sanitary annex excluded) that `people` need under this standard."""
        if people <= 0:
            return Decimal(0)
        if people == 1:
            return self.single_cell_m2
        if self.shared_rule is SharedRule.SINGLE_PLUS_ADDITIONAL:
            return self.single_cell_m2 + (people - 1) * self.shared_per_person_m2
        return max(self.single_cell_m2, people * self.shared_per_person_m2)


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell: its floor area, the sanitary annex inside it, its beds and its security level."""

    id: str
    floor_area_m2: Decimal
    sanitary_area_m2: Decimal
    beds: int
    security_level: str
    occupancy: Occupancy = Occupancy.SHARED
    declared_capacity: int | None = None

    def __post_init__(self) -> None:
        if self.floor_area_m2 < 0 or self.sanitary_area_m2 < 0:
            raise InvalidInput(
                "floor_area_m2", N_("cell %(cell)s: areas cannot be negative"), cell=self.id
            )
        if self.sanitary_area_m2 > self.floor_area_m2:
            raise InvalidInput(
                "sanitary_area_m2", N_("cell %(cell)s: larger than the floor area"), cell=self.id
            )
        if self.beds < 0:
            raise InvalidInput("beds", N_("cell %(cell)s: cannot be negative"), cell=self.id)

    @property
    def usable_area_m2(self) -> Decimal:
        """Living space the standards count: floor area less the sanitary annex."""
        return self.floor_area_m2 - self.sanitary_area_m2


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit (pavilion, wing) of a facility and its cells."""

    id: str
    name: str
    cells: tuple[Cell, ...]
    declared_capacity: int | None = None


@dataclass(frozen=True, slots=True)
class Facility:
    """A place of detention: units of cells, the state that runs it, its declared capacity."""

    id: str
    name: str
    state: str
    units: tuple[Unit, ...]
    declared_capacity: int | None = None

    def cells(self) -> Iterator[Cell]:
        """Every cell of every unit, in order."""
        for unit in self.units:
            yield from unit.cells


def standard_capacity(cell: Cell, standard: SpaceStandard) -> int:
    """The most people whose usable area meets the standard (space only; beds are separate)."""
    usable = cell.usable_area_m2
    if usable < standard.single_cell_m2:
        return 0
    if cell.occupancy is Occupancy.SINGLE:
        return 1
    per_person = standard.shared_per_person_m2
    if standard.shared_rule is SharedRule.SINGLE_PLUS_ADDITIONAL:
        people = 1 + int((usable - standard.single_cell_m2) // per_person)
    else:
        people = max(1, int(usable // per_person))
    # Exact Decimal division already gives the answer; the loop only guards the invariant.
    while people > 0 and standard.required_area(people) > usable:
        people -= 1
    return people


def placement_limit(cell: Cell, standard: SpaceStandard) -> int:
    """How many people the allocator may put in a cell: the space standard, and a bed each."""
    return min(standard_capacity(cell, standard), cell.beds)


@dataclass(frozen=True, slots=True)
class CapacityReport:
    """Declared beside standard capacity for a cell, unit or facility."""

    standard: str
    cells: int
    beds: int
    standard_capacity: int
    placement_limit: int
    declared_capacity: int | None

    @property
    def declared_excess(self) -> int | None:
        """How many more people are declared than the standard allows (None if none declared)."""
        if self.declared_capacity is None:
            return None
        return self.declared_capacity - self.standard_capacity

    @property
    def declared_ratio(self) -> Decimal | None:
        """Declared capacity as a multiple of standard capacity, to two places."""
        if self.declared_capacity is None or self.standard_capacity == 0:
            return None
        ratio = Decimal(self.declared_capacity) / Decimal(self.standard_capacity)
        return ratio.quantize(Decimal("0.01"))


def capacity_report(
    cells: Iterable[Cell], standard: SpaceStandard, declared_capacity: int | None = None
) -> CapacityReport:
    """Add up beds, standard capacity and placement limit over cells (one unit or facility)."""
    listed = list(cells)
    if declared_capacity is None and listed and all(c.declared_capacity for c in listed):
        declared_capacity = sum(c.declared_capacity or 0 for c in listed)
    return CapacityReport(
        standard=standard.code,
        cells=len(listed),
        beds=sum(c.beds for c in listed),
        standard_capacity=sum(standard_capacity(c, standard) for c in listed),
        placement_limit=sum(placement_limit(c, standard) for c in listed),
        declared_capacity=declared_capacity,
    )


def facility_report(facility: Facility, standard: SpaceStandard) -> CapacityReport:
    """Capacity report of a whole facility, against its declared capacity."""
    return capacity_report(facility.cells(), standard, facility.declared_capacity)


def unit_reports(facility: Facility, standard: SpaceStandard) -> dict[str, CapacityReport]:
    """Capacity report of each unit, by unit id."""
    return {u.id: capacity_report(u.cells, standard, u.declared_capacity) for u in facility.units}


@dataclass(frozen=True, slots=True)
class Stay:
    """A person held in a cell from arrival (counted) to release (not counted; None = open)."""

    person_id: str
    cell_id: str
    arrival: date
    release: date | None = None

    def held_on(self, day: date) -> bool:
        """Whether the person is in the cell on that day: arrival counts, release day does not."""
        return self.arrival <= day and (self.release is None or day < self.release)


def occupancy_on(stays: Iterable[Stay], day: date) -> dict[str, int]:
    """Number of people in each cell on a day (cells with nobody are absent)."""
    counts: dict[str, int] = {}
    for stay in stays:
        if stay.held_on(day):
            counts[stay.cell_id] = counts.get(stay.cell_id, 0) + 1
    return counts


@dataclass(frozen=True, slots=True)
class ScheduledArrival:
    """A person booked to arrive (on a movement to the facility's state) who has no cell yet."""

    person_id: str
    arrival: date


@dataclass(frozen=True, slots=True)
class ForecastChange:
    """A day in the horizon on which people are projected to arrive or leave."""

    on: date
    arrivals: int
    releases: int
    occupancy: int


@dataclass(frozen=True, slots=True)
class Forecast:
    """Projected occupancy of a facility day by day, and when it meets its standard capacity."""

    standard: str
    standard_capacity: int
    days: tuple[tuple[date, int], ...]
    full_on: date | None  # first day projected occupancy reaches standard capacity (no room left)
    over_on: date | None  # first day it exceeds standard capacity
    changes: tuple[ForecastChange, ...] = ()
    scheduled_arrivals: int = 0  # people counted from a movement, not yet in a cell


def _stay_end(
    stay_release: date | None, begins: date, start: date, expected: date | None
) -> date | None:
    """When a projected presence ends: its own release, else the expected release date, which
    counts only if it lies after both the first day projected and the arrival (a person held
    past their expected date is, on the record, still held)."""
    if stay_release is not None:
        return stay_release
    if expected is not None and expected > max(begins, start):
        return expected
    return None


def forecast(
    facility: Facility,
    standard: SpaceStandard,
    stays: Iterable[Stay],
    start: date,
    horizon_days: int,
    *,
    arrivals: Iterable[ScheduledArrival] = (),
    releases: Mapping[str, date] | None = None,
) -> Forecast:
    """Project occupancy from stays, scheduled arrivals and release dates over a horizon.

    A stay whose arrival lies in the future is a booked arrival. A scheduled arrival (a person
    on a movement, without a cell yet) counts from its day, unless the person already has a
    stay here that is open then; a person on two movements counts once, from the first.
    `releases` gives each person's expected release (from their sentence): it ends an open
    stay or an arrival; without one they stay the whole horizon. Only stays in the facility's
    cells count.
    """
    if horizon_days < 1:
        raise InvalidInput("horizon_days", N_("must be at least 1"))
    expected = releases or {}
    cell_ids = {c.id for c in facility.cells()}
    here = [s for s in stays if s.cell_id in cell_ids]
    spans = [
        (s.arrival, _stay_end(s.release, s.arrival, start, expected.get(s.person_id))) for s in here
    ]
    scheduled = 0
    seen: set[str] = set()
    for booked in sorted(arrivals, key=lambda a: a.arrival):
        if booked.person_id in seen:
            continue  # on two movements: counted from the first
        seen.add(booked.person_id)
        if any(
            s.person_id == booked.person_id and (s.release is None or s.release > booked.arrival)
            for s in here
        ):
            continue  # already placed (or booked) in a cell: counted by the stay
        end = _stay_end(None, booked.arrival, start, expected.get(booked.person_id))
        spans.append((booked.arrival, end))
        scheduled += 1
    held_from = [0] * (horizon_days + 1)  # already held on the first day, or arriving
    arriving = [0] * (horizon_days + 1)  # arriving within the horizon
    leaving = [0] * (horizon_days + 1)
    for begins, ends in spans:
        first = max((begins - start).days, 0)
        last = horizon_days if ends is None else min((ends - start).days, horizon_days)
        if first < last:
            held_from[first] += 1
            if begins >= start:
                arriving[first] += 1
            leaving[last] += 1
    capacity = facility_report(facility, standard).standard_capacity
    days: list[tuple[date, int]] = []
    changes: list[ForecastChange] = []
    running = 0
    full_on: date | None = None
    over_on: date | None = None
    for offset in range(horizon_days):
        running += held_from[offset] - leaving[offset]
        day = start + timedelta(days=offset)
        days.append((day, running))
        if arriving[offset] or leaving[offset]:
            changes.append(ForecastChange(day, arriving[offset], leaving[offset], running))
        if full_on is None and running >= capacity:
            full_on = day
        if over_on is None and running > capacity:
            over_on = day
    return Forecast(
        standard.code, capacity, tuple(days), full_on, over_on, tuple(changes), scheduled
    )
