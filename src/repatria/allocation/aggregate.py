"""The aggregated CP-SAT model: how many people of each class go to each cell.

People who share a security level and a rival-relevant group are interchangeable for every
constraint except keep-apart and keep-together pairs, so the model counts them per (class,
cell) instead of deciding each person: about 10^4 integer variables for 40,000 people in 1,600
cells instead of 6.4 x 10^7 booleans. Dropping the pair constraints makes it a relaxation, so its
proven bound is a valid lower bound for the whole problem.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from repatria.allocation.model import AllocationRequest, Person

ClassKey = tuple[str, str | None]  # (security level, rival-relevant group or None)


def class_of(person: Person, rival_groups: frozenset[str]) -> ClassKey:
    """The class a person is counted in: security level and group, if that group has rivals."""
    group = person.affiliation.group if person.affiliation is not None else None
    return (person.security_level, group if group in rival_groups else None)


def rival_cliques(rivalries: tuple[tuple[str, str], ...]) -> list[frozenset[str]]:
    """Maximal sets of mutually rival groups (Bron-Kerbosch); at most one may share a cell.

    One at-most-one per clique is implied by the pairwise rule but gives a much tighter LP
    relaxation: three mutual rivals cannot each hold half a cell.
    """
    enemies: dict[str, set[str]] = defaultdict(set)
    for a, b in rivalries:
        if a != b:
            enemies[a].add(b)
            enemies[b].add(a)
    found: list[frozenset[str]] = []

    def expand(chosen: set[str], candidates: set[str], excluded: set[str]) -> None:
        if not candidates and not excluded:
            found.append(frozenset(chosen))
            return
        for group in sorted(candidates):
            expand(chosen | {group}, candidates & enemies[group], excluded & enemies[group])
            candidates = candidates - {group}
            excluded = excluded | {group}

    expand(set(), set(enemies), set())
    return [c for c in found if len(c) > 1]


class SolverTimedOut(RuntimeError):
    """CP-SAT found no solution before its time limit (the caller keeps its construction)."""


@dataclass(frozen=True, slots=True)
class AggregateSolution:
    """Counts per (class, cell), stayers per (class, cell), and the solver's figures."""

    counts: dict[tuple[ClassKey, str], int]
    stays: dict[tuple[ClassKey, str], int]
    objective: int
    bound: int
    status: str


def solve_aggregate(
    request: AllocationRequest,
    time_limit_s: float = 8.0,
    workers: int = 2,
    hint: AggregateSolution | None = None,
    floor: int = 0,
) -> AggregateSolution:
    """Solve the class-by-cell counting model to optimality or the time limit.

    `floor` is a proven lower bound on the objective (see bounds.py): the search stops as soon
    as a solution meets it, since none can do better. (As a linear cut it would cost seconds
    of presolve on dominated-constraint detection; as a stopping rule it costs nothing.)
    """
    rivals = request.rival_groups()
    demand: dict[ClassKey, int] = defaultdict(int)
    current: dict[tuple[ClassKey, str], int] = defaultdict(int)
    for person in request.people:
        key = class_of(person, rivals)
        demand[key] += 1
        if person.current_cell is not None:
            current[(key, person.current_cell)] += 1
    classes_by_level: dict[str, list[ClassKey]] = defaultdict(list)
    for key in demand:
        classes_by_level[key[0]].append(key)

    cliques = rival_cliques(request.rivalries)
    model = cp_model.CpModel()
    counts: dict[tuple[ClassKey, str], cp_model.IntVar] = {}
    stays: dict[tuple[ClassKey, str], cp_model.IntVar] = {}
    host_vars: dict[tuple[ClassKey, str], cp_model.IntVar] = {}
    for place in request.places:
        keys = classes_by_level.get(place.security_level, [])
        if place.limit <= 0 or not keys:
            continue
        in_cell = []
        hosts: dict[str, cp_model.IntVar] = {}
        for key in keys:
            top = min(place.limit, demand[key])
            var = model.new_int_var(0, top, f"n{key}{place.id}")
            counts[(key, place.id)] = var
            in_cell.append(var)
            group = key[1]
            if group is not None:
                hosts[group] = model.new_bool_var(f"y{group}{place.id}")
                host_vars[(key, place.id)] = hosts[group]
                model.add(var <= top * hosts[group])
            staying = current.get((key, place.id), 0)
            if staying:
                stay = model.new_int_var(0, min(staying, top), f"s{key}{place.id}")
                model.add(stay <= var)
                if group is not None:
                    # Tighter than stay <= var <= top * host: keeps the LP bound close.
                    model.add(stay <= min(staying, top) * hosts[group])
                stays[(key, place.id)] = stay
        model.add(sum(in_cell) <= place.limit)
        for clique in cliques:
            present = [hosts[g] for g in sorted(clique) if g in hosts]
            if len(present) > 1:
                model.add_at_most_one(present)

    by_class: dict[ClassKey, list[cp_model.IntVar]] = defaultdict(list)
    for (key, _), var in counts.items():
        by_class[key].append(var)
    unplaced = []
    for key, total in demand.items():
        placed = sum(by_class.get(key, []))
        model.add(placed <= total)
        unplaced.append(total - placed)
    weights = request.weights
    already_placed = sum(current.values())
    objective = weights.unplaced * sum(unplaced) + weights.move * (
        already_placed - sum(stays.values())
    )
    model.minimize(objective)
    if hint is not None:
        _add_hint(model, hint, counts, stays, host_vars)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    status = solver.solve(model, _StopAtFloor(floor))
    if status == cp_model.UNKNOWN:
        # The wall-clock limit ran out before a first solution: on a loaded machine this
        # happens even to tiny models, so it is an outcome for the caller, not a crash.
        raise SolverTimedOut(f"no solution within {time_limit_s:.2f} s")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"allocation model not solved: {solver.status_name(status)}")
    value = round(solver.objective_value)
    bound = max(math.ceil(solver.best_objective_bound - 1e-6), floor)
    return AggregateSolution(
        counts={k: v for k, var in counts.items() if (v := int(solver.value(var)))},
        stays={k: v for k, var in stays.items() if (v := int(solver.value(var)))},
        objective=value,
        bound=min(bound, value),
        status="OPTIMAL" if value <= bound else solver.status_name(status),
    )


class _StopAtFloor(cp_model.CpSolverSolutionCallback):
    """Stop the search once a solution reaches a proven lower bound."""

    def __init__(self, floor: int) -> None:
        super().__init__()
        self.floor = floor

    def on_solution_callback(self) -> None:
        """Called by CP-SAT on each improving solution."""
        if self.objective_value <= self.floor:
            self.stop_search()


def _add_hint(
    model: cp_model.CpModel,
    hint: AggregateSolution,
    counts: dict[tuple[ClassKey, str], cp_model.IntVar],
    stays: dict[tuple[ClassKey, str], cp_model.IntVar],
    hosts: dict[tuple[ClassKey, str], cp_model.IntVar],
) -> None:
    """Start the search from a known feasible solution (the greedy one): every variable hinted."""
    for cell_key, var in counts.items():
        model.add_hint(var, hint.counts.get(cell_key, 0))
    for cell_key, var in stays.items():
        model.add_hint(var, min(hint.stays.get(cell_key, 0), hint.counts.get(cell_key, 0)))
    for cell_key, var in hosts.items():
        model.add_hint(var, 1 if hint.counts.get(cell_key, 0) else 0)
