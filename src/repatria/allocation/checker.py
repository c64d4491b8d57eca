"""An independent check of every hard constraint of an allocation; it shares no solver code."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from repatria.allocation.model import AllocationRequest


@dataclass(frozen=True, slots=True)
class Violations:
    """How many times each hard constraint is broken."""

    unknown_person: int = 0
    unknown_cell: int = 0
    over_limit: int = 0  # people beyond a cell's limit, summed over cells
    security_mismatch: int = 0
    rival_groups: int = 0  # (cell, rivalry) pairs where both sides are present
    keep_apart: int = 0  # keep-apart pairs sharing a cell
    placed_and_unplaced: int = 0

    @property
    def total(self) -> int:
        """All violations together; a valid allocation has none."""
        return (
            self.unknown_person
            + self.unknown_cell
            + self.over_limit
            + self.security_mismatch
            + self.rival_groups
            + self.keep_apart
            + self.placed_and_unplaced
        )


def count_violations(
    request: AllocationRequest,
    placements: Mapping[str, str],
    unplaced_ids: Iterable[str] = (),
) -> Violations:
    """Count the violations of every hard constraint by a placement (person id -> cell id)."""
    people = {p.id: p for p in request.people}
    places = {c.id: c for c in request.places}
    unknown_person = sum(1 for pid in placements if pid not in people)
    unknown_cell = sum(1 for cid in placements.values() if cid not in places)
    both = sum(1 for pid in set(unplaced_ids) if pid in placements)
    occupants: dict[str, list[str]] = defaultdict(list)
    for pid, cid in placements.items():
        if pid in people and cid in places:
            occupants[cid].append(pid)
    over = sum(max(len(ids) - places[cid].limit, 0) for cid, ids in occupants.items())
    mismatch = sum(
        1
        for cid, ids in occupants.items()
        for pid in ids
        if people[pid].security_level != places[cid].security_level
    )
    rival = 0
    for ids in occupants.values():
        groups = Counter(
            people[pid].affiliation.group  # type: ignore[union-attr]
            for pid in ids
            if people[pid].affiliation is not None
        )
        rival += sum(1 for a, b in set(request.rivalries) if a != b and groups[a] and groups[b])
    apart = sum(
        1
        for a, b in request.keep_apart
        if a in placements and b in placements and a != b and placements[a] == placements[b]
    )
    return Violations(unknown_person, unknown_cell, over, mismatch, rival, apart, both)
