"""A first-fit baseline: keep people where they are if allowed, else the first cell that fits."""

from __future__ import annotations

from collections import Counter, defaultdict

from repatria.allocation.model import AllocationRequest, Person, Place
from repatria.allocation.pairs import PairIndex


def greedy_allocate(request: AllocationRequest) -> tuple[dict[str, str], list[str]]:
    """Place people one by one in list order; returns placements and the ids left unplaced."""
    places = {c.id: c for c in request.places}
    by_level: dict[str, list[Place]] = defaultdict(list)
    for place in request.places:
        by_level[place.security_level].append(place)
    first_open = dict.fromkeys(by_level, 0)
    enemies: dict[str, set[str]] = defaultdict(set)
    for a, b in request.rivalries:
        enemies[a].add(b)
        enemies[b].add(a)
    apart = PairIndex(request).apart
    count: Counter[str] = Counter()
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    placements: dict[str, str] = {}

    def fits(person: Person, place: Place) -> bool:
        if place.security_level != person.security_level or count[place.id] >= place.limit:
            return False
        affiliation = person.affiliation
        if affiliation is not None and any(groups[place.id][e] for e in enemies[affiliation.group]):
            return False
        return all(placements.get(q) != place.id for q in apart.get(person.id, ()))

    def put(person: Person, place: Place) -> None:
        placements[person.id] = place.id
        count[place.id] += 1
        if person.affiliation is not None:
            groups[place.id][person.affiliation.group] += 1

    unplaced: list[str] = []
    ordered = sorted(request.people, key=lambda p: p.current_cell is None)
    for person in ordered:
        current = places.get(person.current_cell or "")
        if current is not None and fits(person, current):
            put(person, current)
            continue
        level = by_level.get(person.security_level, [])
        while first_open.get(person.security_level, 0) < len(level):
            head = level[first_open[person.security_level]]
            if count[head.id] < head.limit:
                break
            first_open[person.security_level] += 1
        for place in level[first_open.get(person.security_level, 0) :]:
            if fits(person, place):
                put(person, place)
                break
        else:
            unplaced.append(person.id)
    return placements, unplaced
