"""A proven lower bound on the allocation objective, from relaxations that decouple the cells.

* Unplaced: at each security level at least (people - room) are left out.
* Moves: each cell, on its own, can keep at most the largest set of its present occupants that
  has the right security level, no two rival groups and no more people than its limit; everyone
  else there must move. Summing over cells ignores that movers need room elsewhere: a relaxation.
* Keep-together: a pair that can never share a cell (different security levels, rival groups)
  is always split. A pair held in two different "settled" cells (within limit, no rivals, no
  keep-apart pair, everyone at the right level: the per-cell optimum keeps everyone) can be joined
  only by moving one of them at a full extra move's cost, which is dearer than the splits it
  can mend as long as no one is in more than move/(2 x split) such pairs; so each such pair
  costs at least one split. A pair of one person held in a full settled cell and one not held
  is pinned in the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from repatria.allocation.construct import best_compatible_groups
from repatria.allocation.model import AllocationRequest, Person
from repatria.allocation.pairs import PairIndex


@dataclass(frozen=True, slots=True)
class LowerBound:
    """Fewest people left out, fewest moves and fewest split pairs any allocation can have."""

    unplaced: int
    moves: int
    split_together: int
    without_pairs: int  # weighted unplaced + moves: a bound for the aggregated model
    total: int  # weighted sum of all three: a bound for the whole objective


def lower_bound(request: AllocationRequest) -> LowerBound:
    """A lower bound on any allocation's objective for this request (see the module docstring)."""
    weights = request.weights
    unplaced = _unplaced_bound(request)
    moves, settled = _moves_bound(request)
    split = _split_bound(request, settled)
    without_pairs = weights.unplaced * unplaced + weights.move * moves
    total = without_pairs + weights.split_together * split
    return LowerBound(unplaced, moves, split, without_pairs, total)


def _unplaced_bound(request: AllocationRequest) -> int:
    room: Counter[str] = Counter()
    for place in request.places:
        room[place.security_level] += place.limit
    demand = Counter(p.security_level for p in request.people)
    return sum(max(n - room[level], 0) for level, n in demand.items())


def _enemies(request: AllocationRequest) -> dict[str, set[str]]:
    enemies: dict[str, set[str]] = defaultdict(set)
    for a, b in request.rivalries:
        if a != b:
            enemies[a].add(b)
            enemies[b].add(a)
    return enemies


def _moves_bound(request: AllocationRequest) -> tuple[int, set[str]]:
    """Fewest moves each cell forces on its own, and the cells whose optimum keeps everyone."""
    places = {c.id: c for c in request.places}
    enemies = _enemies(request)
    here: dict[str, list[Person]] = defaultdict(list)
    moves = 0
    for person in request.people:
        cell = places.get(person.current_cell or "")
        if cell is None or cell.security_level != person.security_level:
            moves += person.current_cell is not None
        else:
            here[cell.id].append(person)
    apart = PairIndex(request).apart
    current = {p.id: p.current_cell for p in request.people}
    settled = set()
    for cell_id, occupants in here.items():
        groups = Counter(p.affiliation.group if p.affiliation else "" for p in occupants)
        neutral = sum(n for g, n in groups.items() if g not in enemies)
        rivals = {g: n for g, n in groups.items() if g in enemies}
        best = best_compatible_groups(rivals, enemies)
        keep = min(neutral + sum(rivals[g] for g in best), places[cell_id].limit)
        moves += len(occupants) - keep
        clash = any(current.get(q) == cell_id for p in occupants for q in apart.get(p.id, ()))
        if keep == len(occupants) and not clash:
            settled.add(cell_id)
    return moves, settled


def _split_bound(request: AllocationRequest, settled: set[str]) -> int:
    people = {p.id: p for p in request.people}
    places = {c.id: c for c in request.places}
    enemies = _enemies(request)
    held = Counter(p.current_cell for p in request.people if p.current_cell in settled)
    full = {c for c in settled if held[c] >= places[c].limit}
    never, pinned = 0, []
    for a, b in request.keep_together:
        pa, pb = people.get(a), people.get(b)
        if pa is None or pb is None or a == b:
            continue
        ga = pa.affiliation.group if pa.affiliation else ""
        gb = pb.affiliation.group if pb.affiliation else ""
        if pa.security_level != pb.security_level or gb in enemies.get(ga, set()):
            never += 1
            continue
        ca, cb = pa.current_cell, pb.current_cell
        both_settled = ca in settled and cb in settled and ca != cb
        if both_settled or (ca in full and cb is None) or (cb in full and ca is None):
            pinned.append((a, b))
    degree = Counter(x for pair in pinned for x in pair)
    # One extra move can free a slot and join its mover: two people's pairs per move.
    limit = request.weights.move // (2 * max(request.weights.split_together, 1))
    counted = [pair for pair in pinned if all(degree[x] <= limit for x in pair)]
    return never + len(counted)
