"""Movements: plan a batch, fill its manifest, and re-check everyone at lock and departure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from repatria.domain.access import Action, require, scope_of, sees_states
from repatria.domain.accounts import Principal
from repatria.domain.cases import CaseState
from repatria.domain.errors import (
    Conflict,
    InvalidInput,
    NotEligible,
    NotFound,
    PermissionDenied,
    Term,
)
from repatria.domain.lifecycle import Track, track_of
from repatria.domain.movements import ManifestEntry, Movement, MovementState, next_state
from repatria.domain.records import snapshot
from repatria.i18n import N_
from repatria.law import AUTHORITY_IDS
from repatria.services import cases, people, transitions
from repatria.services.commands import ManifestChange, MovementStep, PlanMovement
from repatria.services.people import Page
from repatria.services.unit_of_work import UnitOfWork, utcnow


def get_or_raise(uow: UnitOfWork, principal: Principal, movement_id: int) -> Movement:
    """The movement, if it involves the principal's state; otherwise NotFound."""
    movement = uow.movements.get(movement_id)
    if movement is None or not sees_states(principal, (movement.from_state, movement.to_state)):
        raise NotFound("movement", movement_id)
    return movement


def _require_sending_officer(principal: Principal, movement: Movement | PlanMovement) -> None:
    require(principal, Action.OPEN_CASE)
    if principal.state != movement.from_state:
        raise PermissionDenied(
            N_("only %(state)s, the sending state, plans this"), state=movement.from_state
        )


def plan(uow: UnitOfWork, principal: Principal, command: PlanMovement) -> Movement:
    """Plan a movement; it takes the next sequence number for its authority and states."""
    _require_sending_officer(principal, command)
    if command.authority not in AUTHORITY_IDS:
        raise InvalidInput(
            "authority", N_("unknown authority %(authority)s"), authority=repr(command.authority)
        )
    last = uow.movements.last_sequence(command.authority, command.from_state, command.to_state)
    sequence = (last or 0) + 1
    if command.sequence is not None:
        if command.sequence < sequence:
            raise InvalidInput(
                "sequence",
                N_("must be at least %(sequence)s: numbers up to %(last)s are taken"),
                sequence=sequence,
                last=last,
            )
        sequence = command.sequence
    now = utcnow()
    movement = Movement(
        authority=command.authority,
        from_state=command.from_state,
        to_state=command.to_state,
        sequence=sequence,
        seats=command.seats,
        planned_departure=command.planned_departure,
        state=MovementState.PLANNED,
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    uow.movements.add(movement)
    uow.record(
        principal,
        "MovementPlanned",
        "movement",
        movement.id,
        after=snapshot(movement),
        states=[movement.from_state, movement.to_state],
    )
    return movement


def manifest(
    uow: UnitOfWork, movement_id: int, *, on_board_only: bool = False
) -> list[ManifestEntry]:
    """The manifest's entries, in the order they were added."""
    return uow.movements.manifest(movement_id, on_board_only=on_board_only)


def add_case(
    uow: UnitOfWork, principal: Principal, movement_id: int, command: ManifestChange
) -> ManifestEntry:
    """Put an approved (or cleared) case on a planned movement: the case becomes scheduled."""
    movement = get_or_raise(uow, principal, movement_id)
    _require_sending_officer(principal, movement)
    if movement.state is not MovementState.PLANNED:
        raise Conflict(
            N_("the manifest of %(movement)s is %(stage)s"),
            movement=movement.label,
            stage=Term(movement.state.value),
        )
    case = cases.get_or_raise(uow, principal, command.case_id)
    if (case.authority, case.from_state, case.to_state) != (
        movement.authority,
        movement.from_state,
        movement.to_state,
    ):
        raise InvalidInput(
            "case_id",
            N_("case %(case)s is not a %(movement)s case"),
            case=case.reference,
            movement=movement.label,
        )
    aboard = manifest(uow, movement_id, on_board_only=True)
    if any(entry.case_id == case.id for entry in aboard):
        raise Conflict(
            N_("case %(case)s is already on %(movement)s"),
            case=case.reference,
            movement=movement.label,
        )
    if len(aboard) >= movement.seats:
        raise Conflict(
            N_("%(movement)s is full (%(seats)s seats)"),
            movement=movement.label,
            seats=movement.seats,
        )
    _, assessment = transitions.take(
        uow,
        principal,
        command.case_id,
        transitions.Step(
            command="schedule",
            on=movement.planned_departure.date(),
            reason=f"placed on {movement.label}",
        ),
    )
    assert movement.id is not None and case.id is not None
    entry = ManifestEntry(
        movement_id=movement.id, case_id=case.id, added_at=utcnow(), assessment_id=assessment.id
    )
    uow.movements.add_entry(entry)
    return entry


@dataclass(frozen=True)
class Removal:
    """Someone taken off a manifest, and why."""

    case_id: int
    reference: str
    reason: str


def _take_off(
    uow: UnitOfWork,
    principal: Principal,
    movement: Movement,
    entry: ManifestEntry,
    exc: NotEligible,
) -> Removal:
    case = uow.cases.get(entry.case_id)
    assert case is not None
    reason = "; ".join(f"{c['ground']}: {c['reason']} ({c['citation']})" for c in exc.checks)
    entry.removed_at = utcnow()
    entry.removed_reason = f"no longer passes the law at {exc.command}: {reason}"
    end = "block" if track_of(case.authority) is Track.REMOVAL else "cancel"
    transitions.take(
        uow,
        principal,
        entry.case_id,
        transitions.Step(
            command=end, on=movement.planned_departure.date(), reason=entry.removed_reason
        ),
    )
    return Removal(entry.case_id, case.reference, entry.removed_reason)


def _when(movement: Movement, command: MovementStep) -> datetime:
    """When a departure or arrival happened (now, unless given): never in the future, an
    arrival never before the departure."""
    now = utcnow()
    at = command.at or now
    if at > now:
        raise InvalidInput("at", N_("%(day)s is in the future"), day=at.isoformat())
    departed = movement.departed_at
    # Compared to the minute: a form gives the time to the minute.
    minute = departed.replace(second=0, microsecond=0) if departed else None
    if command.command == "confirm_arrival" and minute is not None and at < minute:
        raise InvalidInput(
            "at",
            N_("the arrival is before the departure (%(departure)s)"),
            departure=minute.isoformat(),
        )
    return at


def _recheck(
    uow: UnitOfWork, principal: Principal, movement: Movement, command: str, on: date
) -> list[Removal]:
    """Re-assess everyone aboard as of `on`; whoever fails comes off with the reason, the rest
    go on."""
    removals = []
    for entry in manifest(uow, movement.id or 0, on_board_only=True):
        case = uow.cases.get(entry.case_id)
        assert case is not None
        if case.state is not CaseState.SCHEDULED:  # stopped meanwhile by a hold or an order
            entry.removed_at = utcnow()
            entry.removed_reason = f"the case was {case.state.value} before {command}"
            removals.append(Removal(entry.case_id, case.reference, entry.removed_reason))
            continue
        step = transitions.Step(command=command, on=on)
        try:
            with uow.savepoint():
                if command == "lock":
                    transitions.recheck(uow, principal, entry.case_id, step)
                else:
                    transitions.take(uow, principal, entry.case_id, step)
        except NotEligible as exc:
            removals.append(_take_off(uow, principal, movement, entry, exc))
    return removals


def step(
    uow: UnitOfWork, principal: Principal, movement_id: int, command: MovementStep
) -> tuple[Movement, list[Removal]]:
    """Lock, depart, confirm arrival or close a movement."""
    movement = get_or_raise(uow, principal, movement_id)
    if command.version is not None and command.version != movement.version:
        raise Conflict(
            N_("%(movement)s is at version %(version)s, not %(expected)s"),
            movement=movement.label,
            version=movement.version,
            expected=command.version,
        )
    target = next_state(command.command, movement.state)
    if command.command == "confirm_arrival":
        require(principal, Action.OPEN_CASE)
        if principal.state != movement.to_state:
            raise PermissionDenied(
                N_("only %(state)s, the receiving state, confirms"), state=movement.to_state
            )
    else:
        _require_sending_officer(principal, movement)
    before = snapshot(movement)
    at = _when(movement, command)
    removals: list[Removal] = []
    if command.command == "lock":
        removals = _recheck(uow, principal, movement, "lock", movement.planned_departure.date())
    elif command.command == "depart":
        movement.departed_at = at
        removals = _recheck(uow, principal, movement, "depart", at.date())
    elif command.command == "confirm_arrival":
        movement.arrived_at = at
        for entry in manifest(uow, movement_id, on_board_only=True):
            case, _ = transitions.take(
                uow,
                principal,
                entry.case_id,
                transitions.Step(
                    command="confirm_arrival",
                    on=command.on or at.date(),
                    reason=f"arrived with {movement.label}",
                ),
            )
            people.custody_passes(
                uow,
                principal,
                case.person_id,
                movement.to_state,
                reason=f"arrived with {movement.label}",
                legal_basis=f"{movement.authority}: {movement.label}, arrival confirmed",
                states=[movement.from_state, movement.to_state],
            )
    movement.state = target
    movement.updated_at = utcnow()
    uow.movements.update(movement)
    after = {**snapshot(movement), "removed": [r.__dict__ for r in removals]}
    uow.record(
        principal,
        f"Movement{command.command.title().replace('_', '')}",
        "movement",
        movement.id,
        before=before,
        after=after,
        states=[movement.from_state, movement.to_state],
    )
    return movement, removals


def list_movements(
    uow: UnitOfWork, principal: Principal, *, limit: int, offset: int
) -> Page[Movement]:
    """Movements involving the principal's state, newest first."""
    state = scope_of(principal)
    items, total = uow.movements.page(state, limit=limit, offset=offset)
    return Page(items, total, limit, offset)


MANIFEST_COLUMNS = (
    "movement",
    "case",
    "family_name",
    "given_names",
    "birth_date",
    "status",
    "removed_reason",
    "legal_basis",
)


def manifest_rows(uow: UnitOfWork, movement: Movement) -> list[dict[str, str]]:
    """The manifest as rows for CSV or JSON export (people aboard and those taken off)."""
    rows = []
    for entry in manifest(uow, movement.id or 0):
        case = uow.cases.get(entry.case_id)
        assert case is not None
        person = uow.people.get(case.person_id)
        assert person is not None
        rows.append(
            {
                "movement": movement.label,
                "case": case.reference,
                "family_name": person.family_name,
                "given_names": person.given_names,
                "birth_date": person.birth_date.isoformat() if person.birth_date else "",
                "status": "aboard" if entry.on_board else "removed",
                "removed_reason": entry.removed_reason,
                "legal_basis": f"assessment {entry.assessment_id}" if entry.assessment_id else "",
            }
        )
    return rows
