"""Turn per-(class, cell) counts into named placements, honouring the pair requests.

Stayers are chosen first, then keep-together groups go where one cell has room for all of them,
then everyone else fills the remaining slots of their class, skipping any cell that holds a
keep-apart partner. A person whose only free slots sit beside a partner is swapped with someone
of the same class elsewhere; if that fails too they are left unplaced.
"""

from __future__ import annotations

from collections import defaultdict

from repatria.allocation.aggregate import AggregateSolution, ClassKey, class_of
from repatria.allocation.model import AllocationRequest, Person
from repatria.allocation.pairs import PairIndex


class _Slots:
    """Free slots per class and cell, and who has been placed where."""

    def __init__(self, request: AllocationRequest, solution: AggregateSolution) -> None:
        self.free: dict[ClassKey, dict[str, int]] = defaultdict(dict)
        for (key, cell), count in solution.counts.items():
            self.free[key][cell] = count
        self.placements: dict[str, str] = {}
        self.occupants: dict[str, set[str]] = defaultdict(set)
        self.pairs = PairIndex(request)

    def fits(self, person_id: str, cell: str) -> bool:
        """Whether no keep-apart partner of the person is in the cell."""
        return not any(
            self.placements.get(other) == cell for other in self.pairs.apart.get(person_id, ())
        )

    def put(self, person_id: str, key: ClassKey, cell: str) -> None:
        """Place a person in a free slot of their class."""
        self.free[key][cell] -= 1
        if self.free[key][cell] == 0:
            del self.free[key][cell]
        self.placements[person_id] = cell
        self.occupants[cell].add(person_id)

    def take_back(self, person_id: str, key: ClassKey) -> str:
        """Remove a person from their cell, freeing the slot."""
        cell = self.placements.pop(person_id)
        self.occupants[cell].discard(person_id)
        self.free[key][cell] = self.free[key].get(cell, 0) + 1
        return cell


def disaggregate(
    request: AllocationRequest, solution: AggregateSolution
) -> tuple[dict[str, str], list[str]]:
    """Named placements from the counts, and the ids of people left without a place."""
    rivals = request.rival_groups()
    keys = {p.id: class_of(p, rivals) for p in request.people}
    slots = _Slots(request, solution)
    _place_stayers(request, solution, keys, slots)
    waiting = [p for p in request.people if p.id not in slots.placements]
    _place_together(waiting, keys, slots)
    unplaced: list[str] = []
    # People with keep-apart partners first, while there is still a choice of cells.
    waiting.sort(key=lambda p: -len(slots.pairs.apart.get(p.id, ())))
    for person in waiting:
        if person.id in slots.placements:
            continue
        if not _place_one(person.id, keys, slots) and not _swap_in(person.id, keys, slots):
            unplaced.append(person.id)
    return slots.placements, unplaced


def _place_stayers(
    request: AllocationRequest,
    solution: AggregateSolution,
    keys: dict[str, ClassKey],
    slots: _Slots,
) -> None:
    here: dict[tuple[ClassKey, str], list[Person]] = defaultdict(list)
    for person in request.people:
        if person.current_cell is not None:
            here[(keys[person.id], person.current_cell)].append(person)
    for cell_key, count in solution.stays.items():
        key, cell = cell_key
        candidates = sorted(here[cell_key], key=lambda p: len(slots.pairs.apart.get(p.id, ())))
        for person in candidates:
            if count == 0:
                break
            if slots.fits(person.id, cell):
                slots.put(person.id, key, cell)
                count -= 1


def _place_together(waiting: list[Person], keys: dict[str, ClassKey], slots: _Slots) -> None:
    waiting_ids = {p.id for p in waiting}
    for group in slots.pairs.together_groups():
        members = [m for m in group if m in waiting_ids]
        anchors = {slots.placements[m] for m in group if m in slots.placements}
        ids = set(group)
        if (
            not members
            or len(anchors) > 1
            or any(slots.pairs.apart.get(m, set()) & ids for m in ids)
        ):
            continue
        need: dict[ClassKey, int] = defaultdict(int)
        for m in members:
            need[keys[m]] += 1
        first = next(iter(need))
        candidates = list(anchors) or list(slots.free.get(first, {}))
        for cell in candidates:
            if all(slots.free.get(k, {}).get(cell, 0) >= n for k, n in need.items()) and all(
                slots.fits(m, cell) for m in members
            ):
                for m in members:
                    slots.put(m, keys[m], cell)
                break


def _place_one(person_id: str, keys: dict[str, ClassKey], slots: _Slots) -> bool:
    key = keys[person_id]
    for cell in slots.free.get(key, {}):
        if slots.fits(person_id, cell):
            slots.put(person_id, key, cell)
            return True
    return False


def _swap_in(person_id: str, keys: dict[str, ClassKey], slots: _Slots) -> bool:
    """Free a slot the person may take by moving someone of the same class into a blocked slot."""
    key = keys[person_id]
    blocked = list(slots.free.get(key, {}))
    if not blocked:
        return False
    for other, cell in list(slots.placements.items()):
        if keys[other] != key or cell in blocked or not slots.fits(person_id, cell):
            continue
        for target in blocked:
            if slots.fits(other, target):
                slots.take_back(other, key)
                slots.put(other, key, target)
                slots.put(person_id, key, cell)
                return True
    return False
