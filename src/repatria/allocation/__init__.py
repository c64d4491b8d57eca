"""Cell allocation: place arriving people into cells under a space standard, with separation.

Pure Python and OR-Tools; no web or database imports. Entry points: `allocate` (CP-SAT on
aggregated classes, then placement of individuals), `greedy_allocate` (first-fit baseline) and
`count_violations` (an independent check of every hard constraint).
"""

from repatria.allocation.checker import Violations, count_violations
from repatria.allocation.greedy import greedy_allocate
from repatria.allocation.model import (
    Affiliation,
    AllocationRequest,
    AllocationResult,
    Person,
    Place,
    SeparationNote,
    Unplaced,
    Weights,
    places_from_facility,
)
from repatria.allocation.scoring import Score, score


def allocate(
    request: AllocationRequest, time_limit_s: float = 8.0, workers: int = 2
) -> AllocationResult:
    """Place everyone the constraints allow, moving as few people as possible (see solve.py).

    OR-Tools (and the pandas it loads) is imported on the first call, not with the package,
    so that every command of the CLI and the server start without it."""
    from repatria.allocation.solve import allocate as solve

    return solve(request, time_limit_s=time_limit_s, workers=workers)


__all__ = [
    "Affiliation",
    "AllocationRequest",
    "AllocationResult",
    "Person",
    "Place",
    "Score",
    "SeparationNote",
    "Unplaced",
    "Violations",
    "Weights",
    "allocate",
    "count_violations",
    "greedy_allocate",
    "places_from_facility",
    "score",
]
