"""Benchmark: allocate 40,000 people to 1,600 cells under CPT, against a greedy first-fit baseline.

8 facilities x 8 units x 25 cells of mixed sizes; three security levels; six groups of which
five are in rivalries; 2,000 keep-apart and 300 keep-together pairs; three people in four are
already held, by a legacy placement that overcrowds cells and sometimes mixes rivals. Prints
details, then as its last line one JSON object with the figures.

    python bench/allocate.py [--seed N] [--time-limit S]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date, timedelta
from decimal import Decimal

from repatria.allocation import (
    Affiliation,
    AllocationRequest,
    Person,
    Place,
    allocate,
    count_violations,
    greedy_allocate,
    places_from_facility,
    score,
)
from repatria.domain.facilities import Cell, Facility, Unit, facility_report
from repatria.domain.reference_data import space_standard

PEOPLE = 40_000
LEVELS = ("max", "max", "medium", "medium", "medium", "medium", "min", "min")  # by unit index
GROUPS = ("G1", "G2", "G3", "G4", "G5", "G6")
RIVALRIES = (("G1", "G2"), ("G1", "G3"), ("G2", "G3"), ("G4", "G5"))


def build_facilities(rng: random.Random) -> list[Facility]:
    """Eight facilities of eight units of 25 cells, 68-150 m² each, a few short of beds."""
    facilities = []
    for f in range(8):
        units = []
        for u in range(8):
            cells = []
            for c in range(25):
                floor = Decimal(rng.randrange(136, 301)) / 2
                sanitary = Decimal(rng.choice((4, 5, 6, 7))) / 2
                usable_people = 1 + int((floor - sanitary - 6) // 4)
                beds = max(1, usable_people + rng.randint(-2, 8))
                cell_id = f"F{f}-U{u}-C{c:02d}"
                cells.append(Cell(cell_id, floor, sanitary, beds, LEVELS[u], declared_capacity=80))
            units.append(Unit(f"F{f}-U{u}", f"unit {u}", tuple(cells)))
        facilities.append(Facility(f"F{f}", f"facility {f}", "SV", tuple(units)))
    return facilities


def build_people(rng: random.Random, places: list[Place]) -> list[Person]:
    """40,000 people split over security levels in proportion to room, three in four placed."""
    room: dict[str, int] = {}
    for place in places:
        room[place.security_level] = room.get(place.security_level, 0) + place.limit
    total_room = sum(room.values())
    levels = [lvl for lvl, r in room.items() for _ in range(round(PEOPLE * r / total_room))]
    levels = (levels + [levels[-1]] * PEOPLE)[:PEOPLE]
    rng.shuffle(levels)
    base = date(2024, 1, 1)
    people = []
    for n, level in enumerate(levels):
        affiliation = None
        if rng.random() < 0.5:
            affiliation = Affiliation(
                rng.choices(GROUPS, weights=(3, 3, 2, 2, 2, 1))[0],
                rng.choice(("intake interview", "police record", "tattoo assessment")),
                base + timedelta(days=rng.randrange(400)),
                rng.random() < 0.7,
            )
        people.append(Person(f"P{n:05d}", level, affiliation))
    return legacy_placement(rng, people, places)


def legacy_placement(rng: random.Random, people: list[Person], places: list[Place]) -> list[Person]:
    """Hold three people in four where a legacy process put them: grouped, two over each limit."""
    held = sorted(
        rng.sample(range(len(people)), k=len(people) * 3 // 4),
        key=lambda i: (people[i].security_level, _group(people[i])),
    )
    by_level: dict[str, list[Place]] = {}
    for place in places:
        by_level.setdefault(place.security_level, []).append(place)
    cursor = dict.fromkeys(by_level, 0)
    filled = dict.fromkeys((p.id for p in places), 0)
    placed = list(people)
    for i in held:
        person = people[i]
        level = by_level[person.security_level]
        while (
            filled[level[cursor[person.security_level]].id]
            >= level[cursor[person.security_level]].limit + 2
        ):
            cursor[person.security_level] += 1
        cell = level[cursor[person.security_level]].id
        if rng.random() < 0.03:  # transfers over the years mixed a few people in at random
            cell = rng.choice(level).id
        filled[cell] += 1
        placed[i] = Person(person.id, person.security_level, person.affiliation, cell)
    return placed


def _group(person: Person) -> str:
    return person.affiliation.group if person.affiliation else ""


def build_pairs(rng: random.Random, people: list[Person], count: int) -> list[tuple[str, str]]:
    """Random pairs of people at the same security level."""
    by_level: dict[str, list[str]] = {}
    for person in people:
        by_level.setdefault(person.security_level, []).append(person.id)
    levels = list(by_level)
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < count:
        ids = by_level[rng.choice(levels)]
        a, b = rng.sample(ids, 2)
        pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def main() -> None:
    """Build the instance, solve it both ways, check both, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--time-limit", type=float, default=8.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    standard = space_standard("CPT", date(2025, 4, 11))
    facilities = build_facilities(rng)
    places = [p for f in facilities for p in places_from_facility(f, standard)]
    people = build_people(rng, places)
    keep_apart = build_pairs(rng, people, 2_000)
    keep_together = [p for p in build_pairs(rng, people, 600) if p not in set(keep_apart)][:300]
    request = AllocationRequest(
        tuple(people),
        tuple(places),
        standard.code,
        RIVALRIES,
        tuple(keep_apart),
        tuple(keep_together),
    )
    standard_total = sum(facility_report(f, standard).standard_capacity for f in facilities)
    print(
        f"cells: {len(places)}; standard capacity under CPT: {standard_total}; "
        f"placement limit (with beds): {sum(p.limit for p in places)}; people: {len(people)}; "
        f"already held: {sum(p.current_cell is not None for p in people)}"
    )

    started = time.perf_counter()
    greedy_placements, greedy_unplaced = greedy_allocate(request)
    greedy_s = time.perf_counter() - started
    greedy_score = score(request, greedy_placements)
    greedy_violations = count_violations(request, greedy_placements, greedy_unplaced).total

    result = allocate(request, time_limit_s=args.time_limit)
    violations = count_violations(
        request, result.placements, (u.person_id for u in result.unplaced)
    ).total
    print(f"greedy: {greedy_score} in {greedy_s:.2f} s, violations {greedy_violations}")
    print(
        f"solver: status {result.status}, unplaced {len(result.unplaced)}, moves {result.moves}, "
        f"keep-together split {result.split_together}, objective {result.objective}, "
        f"bound {result.bound}, gap {result.gap:.4%}"
    )
    for reason in result.unplaced[:5]:
        print(f"  unplaced {reason.person_id}: {reason.reason}")
    print(
        json.dumps(
            {
                "people": len(people),
                "cells": len(places),
                "solve_s": round(result.solve_s, 3),
                "objective": result.objective,
                "bound": result.bound,
                "gap": round(result.gap, 6),
                "greedy_s": round(greedy_s, 3),
                "greedy_objective": greedy_score.objective,
                "violations": violations,
            }
        )
    )


if __name__ == "__main__":
    main()
