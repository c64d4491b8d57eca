"""What an allocation takes and gives: people, places, separation requests and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from repatria.domain.facilities import Facility, SpaceStandard, placement_limit


@dataclass(frozen=True, slots=True)
class Affiliation:
    """A group affiliation used only to keep rivals apart, with where it comes from.

    An unverified affiliation is shown as such and is never a legal ground for anything.
    """

    group: str
    source: str
    recorded_on: date
    verified: bool


@dataclass(frozen=True, slots=True)
class Person:
    """Someone to place: security level, any affiliation, and the cell they are in now (if any)."""

    id: str
    security_level: str
    affiliation: Affiliation | None = None
    current_cell: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A cell as the allocator sees it: security level and how many people it may take."""

    id: str
    security_level: str
    limit: int  # min(standard capacity, beds) under the chosen standard
    unit_id: str = ""
    facility_id: str = ""


@dataclass(frozen=True, slots=True)
class Weights:
    """Cost of each kind of imperfection; leaving someone without a place costs most."""

    unplaced: int = 1000
    move: int = 10
    split_together: int = 1


@dataclass(frozen=True, slots=True)
class AllocationRequest:
    """One allocation problem under one space standard."""

    people: tuple[Person, ...]
    places: tuple[Place, ...]
    standard: str
    rivalries: tuple[tuple[str, str], ...] = ()
    keep_apart: tuple[tuple[str, str], ...] = ()
    keep_together: tuple[tuple[str, str], ...] = ()
    weights: Weights = field(default_factory=Weights)

    def rival_groups(self) -> frozenset[str]:
        """Groups named in at least one rivalry: the only affiliations the allocator uses."""
        return frozenset(g for pair in self.rivalries for g in pair)


@dataclass(frozen=True, slots=True)
class Unplaced:
    """Someone left without a place, and the constraint that blocks them."""

    person_id: str
    constraint: str  # security_level | capacity | rival_groups | keep_apart | time_limit
    reason: str


@dataclass(frozen=True, slots=True)
class SeparationNote:
    """How an affiliation was used: for separation only, and whether it is verified."""

    person_id: str
    group: str
    source: str
    recorded_on: date
    verified: bool
    text: str


@dataclass(frozen=True, slots=True)
class AllocationResult:
    """Where each person goes, who could not be placed and why, and how good the answer is."""

    placements: dict[str, str]
    unplaced: tuple[Unplaced, ...]
    moves: int
    split_together: int
    objective: int
    bound: int
    gap: float
    status: str
    solve_s: float
    notes: tuple[SeparationNote, ...] = ()


def places_from_facility(facility: Facility, standard: SpaceStandard) -> tuple[Place, ...]:
    """The cells of a facility as places, each limited by the standard and by its beds."""
    return tuple(
        Place(cell.id, cell.security_level, placement_limit(cell, standard), unit.id, facility.id)
        for unit in facility.units
        for cell in unit.cells
    )
