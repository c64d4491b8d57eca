"""The cost of an allocation: people left without a place, people moved, pairs split."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from repatria.allocation.model import AllocationRequest


@dataclass(frozen=True, slots=True)
class Score:
    """An allocation's imperfections and their weighted sum (lower is better)."""

    unplaced: int
    moves: int
    split_together: int
    objective: int


def score(request: AllocationRequest, placements: Mapping[str, str]) -> Score:
    """Score a placement; a move is anyone placed now who does not stay in that same cell."""
    unplaced = sum(1 for p in request.people if p.id not in placements)
    moves = sum(
        1
        for p in request.people
        if p.current_cell is not None and placements.get(p.id) != p.current_cell
    )
    split = sum(
        1
        for a, b in request.keep_together
        if placements.get(a) is None or placements.get(a) != placements.get(b)
    )
    weights = request.weights
    objective = weights.unplaced * unplaced + weights.move * moves + weights.split_together * split
    return Score(unplaced, moves, split, objective)
