"""Allocate: construct, improve with CP-SAT on aggregated classes, name placements, explain."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping

from repatria.allocation.aggregate import (
    AggregateSolution,
    ClassKey,
    SolverTimedOut,
    class_of,
    solve_aggregate,
)
from repatria.allocation.bounds import lower_bound
from repatria.allocation.construct import stay_first
from repatria.allocation.disaggregate import disaggregate
from repatria.allocation.explain import explain_unplaced, separation_notes
from repatria.allocation.greedy import greedy_allocate
from repatria.allocation.model import AllocationRequest, AllocationResult
from repatria.allocation.scoring import score


def allocate(
    request: AllocationRequest, time_limit_s: float = 8.0, workers: int = 2
) -> AllocationResult:
    """Place everyone the constraints allow, moving as few people as possible.

    The objective is `weights.unplaced` per person left out, `weights.move` per person who
    does not stay in the cell they are in now, and `weights.split_together` per keep-together
    pair not sharing a cell. `bound` is a proven lower bound on that objective: the better of
    CP-SAT's bound on the aggregated model and the decoupled bound of bounds.py.
    """
    started = time.perf_counter()
    floor = lower_bound(request)
    # Two constructions; the better one starts CP-SAT and is kept unless CP-SAT beats it.
    candidates = [stay_first(request), greedy_allocate(request)]
    placements, unplaced_ids = min(candidates, key=lambda c: score(request, c[0]).objective)
    best = score(request, placements)
    hint = _as_counts(request, placements)
    # CP-SAT gets at least half a second even when the constructions used up the budget.
    remaining = max(time_limit_s - (time.perf_counter() - started), min(0.5, time_limit_s))
    try:
        solution = solve_aggregate(
            request, time_limit_s=remaining, workers=workers, hint=hint, floor=floor.without_pairs
        )
    except SolverTimedOut:
        # Nothing found in time (a loaded machine): the construction stands, never worse
        # than first fit, with the decoupled bound alone.
        solution = AggregateSolution({}, {}, best.objective, floor.total, "UNKNOWN")
    if solution.objective < best.objective - request.weights.split_together * best.split_together:
        improved, improved_unplaced = disaggregate(request, solution)
        if score(request, improved).objective < best.objective:
            placements, unplaced_ids = improved, improved_unplaced
            best = score(request, placements)
    bound = min(max(solution.bound, floor.total), best.objective)
    gap = 0.0 if best.objective == 0 else (best.objective - bound) / best.objective
    return AllocationResult(
        placements=placements,
        unplaced=explain_unplaced(request, placements, unplaced_ids),
        moves=best.moves,
        split_together=best.split_together,
        objective=best.objective,
        bound=bound,
        gap=gap,
        status=solution.status,
        solve_s=time.perf_counter() - started,
        notes=separation_notes(request),
    )


def _as_counts(request: AllocationRequest, placements: Mapping[str, str]) -> AggregateSolution:
    """A person-level placement as per-(class, cell) counts and stayers, to hint CP-SAT."""
    rivals = request.rival_groups()
    counts: dict[tuple[ClassKey, str], int] = defaultdict(int)
    stays: dict[tuple[ClassKey, str], int] = defaultdict(int)
    for person in request.people:
        cell = placements.get(person.id)
        if cell is None:
            continue
        counts[(class_of(person, rivals), cell)] += 1
        if person.current_cell == cell:
            stays[(class_of(person, rivals), cell)] += 1
    return AggregateSolution(dict(counts), dict(stays), 0, 0, "HINT")
