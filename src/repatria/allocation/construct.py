"""A stay-first construction: keep in each cell the most people it can lawfully keep, then place
everyone else first-fit, keep-together groups first. It starts (and often already matches) the
CP-SAT search.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from repatria.allocation.model import AllocationRequest, Person, Place
from repatria.allocation.pairs import PairIndex

MAX_GROUPS_SEARCHED = 12


def best_compatible_groups(counts: dict[str, int], enemies: dict[str, set[str]]) -> set[str]:
    """The heaviest set of mutually non-rival groups among those present (all if too many)."""
    groups = sorted(counts)
    if len(groups) > MAX_GROUPS_SEARCHED:
        return set(groups)
    best: tuple[int, tuple[str, ...]] = (0, ())
    for size in range(1, len(groups) + 1):
        for chosen in combinations(groups, size):
            if all(b not in enemies[a] for a, b in combinations(chosen, 2)):
                best = max(best, (sum(counts[g] for g in chosen), chosen))
    return set(best[1])


class _Board:
    """Cells, who is in them, and the checks every placement must pass."""

    def __init__(self, request: AllocationRequest) -> None:
        self.places = {c.id: c for c in request.places}
        self.by_level: dict[str, list[Place]] = defaultdict(list)
        for place in request.places:
            self.by_level[place.security_level].append(place)
        self.enemies: dict[str, set[str]] = defaultdict(set)
        for a, b in request.rivalries:
            if a != b:
                self.enemies[a].add(b)
                self.enemies[b].add(a)
        self.pairs = PairIndex(request)
        self.count: Counter[str] = Counter()
        self.groups: dict[str, Counter[str]] = defaultdict(Counter)
        self.placements: dict[str, str] = {}
        self.cursor: dict[tuple[str, str], int] = defaultdict(int)

    def fits(self, person: Person, place: Place) -> bool:
        """Whether the person may go into the cell now without breaking a hard constraint."""
        if place.security_level != person.security_level or self.count[place.id] >= place.limit:
            return False
        if person.affiliation is not None:
            present = self.groups[place.id]
            if any(present[e] for e in self.enemies.get(person.affiliation.group, ())):
                return False
        return all(self.placements.get(q) != place.id for q in self.pairs.apart.get(person.id, ()))

    def compatible(self, group: list[Person]) -> bool:
        """Whether these people could share one cell: one level, no rivals, no keep-apart."""
        if len({p.security_level for p in group}) > 1:
            return False
        names = {p.affiliation.group for p in group if p.affiliation is not None}
        if any(self.enemies.get(g, set()) & names for g in names):
            return False
        ids = {p.id for p in group}
        return not any(self.pairs.apart.get(i, set()) & ids for i in ids)

    def put(self, person: Person, place_id: str) -> None:
        """Place the person."""
        self.placements[person.id] = place_id
        self.count[place_id] += 1
        if person.affiliation is not None:
            self.groups[place_id][person.affiliation.group] += 1

    def first_fit(self, person: Person) -> bool:
        """Put the person in the first cell of their level that fits; False if none does."""
        group = person.affiliation.group if person.affiliation else ""
        key = (person.security_level, group if group in self.enemies else "")
        level = self.by_level.get(person.security_level, [])
        # Cells skipped for being full or holding a rival never reopen during construction.
        while self.cursor[key] < len(level):
            head = level[self.cursor[key]]
            if self.count[head.id] < head.limit and not (
                group and any(self.groups[head.id][e] for e in self.enemies.get(group, ()))
            ):
                break
            self.cursor[key] += 1
        for place in level[self.cursor[key] :]:
            if self.fits(person, place):
                self.put(person, place.id)
                return True
        return False


def stay_first(request: AllocationRequest) -> tuple[dict[str, str], list[str]]:
    """Placements that keep as many people where they are as each cell allows; and who is left."""
    board = _Board(request)
    people = {p.id: p for p in request.people}
    _keep_stayers(request, board)
    waiting = [p for p in request.people if p.id not in board.placements]
    waiting_ids = {p.id for p in waiting}
    for group in board.pairs.together_groups():
        members = [people[m] for m in group if m in waiting_ids]
        anchors = [board.placements[m] for m in group if m in board.placements]
        candidates = [board.places[a] for a in anchors]
        if members and not anchors:
            candidates = board.by_level.get(members[0].security_level, [])
        if not board.compatible([people[m] for m in group]):
            continue
        for place in candidates:
            if board.count[place.id] + len(members) <= place.limit and all(
                board.fits(m, place) for m in members
            ):
                for m in members:
                    board.put(m, place.id)
                break
    waiting.sort(key=lambda p: (p.affiliation is None, -len(board.pairs.apart.get(p.id, ()))))
    unplaced = [p.id for p in waiting if p.id not in board.placements and not board.first_fit(p)]
    return board.placements, unplaced


def _keep_stayers(request: AllocationRequest, board: _Board) -> None:
    here: dict[str, list[Person]] = defaultdict(list)
    for person in request.people:
        place = board.places.get(person.current_cell or "")
        if place is not None and place.security_level == person.security_level:
            here[place.id].append(person)
    for place_id, occupants in here.items():
        counts = Counter(
            p.affiliation.group
            for p in occupants
            if p.affiliation and p.affiliation.group in board.enemies
        )
        kept_groups = best_compatible_groups(dict(counts), board.enemies)
        inside = {p.id for p in occupants}
        for person in sorted(occupants, key=lambda p: _stay_priority(p, inside, board)):
            group = person.affiliation.group if person.affiliation else ""
            if group in board.enemies and group not in kept_groups:
                continue
            if board.fits(person, board.places[place_id]):
                board.put(person, place_id)


def _stay_priority(person: Person, inside: set[str], board: _Board) -> tuple[int, int]:
    """Keep first whoever has a keep-together partner in the cell; let go first whoever has
    partners elsewhere (if the cell must shed people, they can then join their partners)."""
    partners = board.pairs.together.get(person.id, set())
    if partners & inside:
        rank = 0
    elif partners:
        rank = 2
    else:
        rank = 1
    return rank, len(board.pairs.apart.get(person.id, ()))
