"""Movements: a batch (flight, convoy) carrying approved cases from one state to another."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from repatria.domain.errors import Conflict, Term
from repatria.i18n import N_


class MovementState(enum.StrEnum):
    PLANNED = "planned"
    MANIFEST_LOCKED = "manifest_locked"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CLOSED = "closed"


# The only moves a movement makes, each by one command.
MOVEMENT_STEPS: dict[str, tuple[MovementState, MovementState]] = {
    "lock": (MovementState.PLANNED, MovementState.MANIFEST_LOCKED),
    "depart": (MovementState.MANIFEST_LOCKED, MovementState.DEPARTED),
    "confirm_arrival": (MovementState.DEPARTED, MovementState.ARRIVED),
    "close": (MovementState.ARRIVED, MovementState.CLOSED),
}


# A departure this many days or more from the planned day is flagged (the project's choice:
# a flight a day late is ordinary; two days is a different flight, and the people aboard
# were re-assessed for the planned day's law and facts).
FAR_FROM_PLAN_DAYS = 2


class MovementStepNotAllowed(Conflict):
    """The movement is not in the state the command starts from (409, as a case's step)."""


def next_state(command: str, current: MovementState) -> MovementState:
    """Where a command takes a movement, or MovementStepNotAllowed."""
    if command not in MOVEMENT_STEPS:
        raise MovementStepNotAllowed(N_("no movement command %(command)s"), command=repr(command))
    source, target = MOVEMENT_STEPS[command]
    if current is not source:
        raise MovementStepNotAllowed(
            N_("%(step)s needs a %(needed)s movement; this one is %(stage)s"),
            step=Term(command),
            needed=Term(source.value),
            stage=Term(current.value),
        )
    return target


@dataclass(eq=False)
class Movement:
    """A numbered batch under one authority between one pair of states."""

    authority: str
    from_state: str
    to_state: str
    sequence: int
    seats: int
    planned_departure: datetime
    state: MovementState
    created_by: int | None
    created_at: datetime
    updated_at: datetime
    version: int = 1
    id: int | None = None
    departed_at: datetime | None = None  # when it actually left (the sending state records it)
    arrived_at: datetime | None = None  # when it arrived (the receiving state confirms it)

    @property
    def label(self) -> str:
        """How a transfer unit names it: the 185th transfer US → MX under us-mx-1976."""
        return f"{self.authority} {self.from_state}→{self.to_state} #{self.sequence}"

    def days_off_plan(self, at: datetime) -> int:
        """Days between the planned departure day and `at` (negative: before it), in UTC."""
        planned = self.planned_departure.astimezone(UTC).date()
        return (at.astimezone(UTC).date() - planned).days


@dataclass(eq=False)
class ManifestEntry:
    """One case on a movement's manifest; removed entries keep the reason they came off."""

    movement_id: int
    case_id: int
    added_at: datetime
    removed_at: datetime | None = None
    removed_reason: str = ""
    assessment_id: int | None = None
    id: int | None = None

    @property
    def on_board(self) -> bool:
        """Still on the manifest."""
        return self.removed_at is None
