"""Allocation: place arriving people in a facility's cells, never past the chosen space standard.

The people already held there take part: the solver keeps them where they are unless a move
is needed (moves cost), and never leaves one of them out to make room for an arrival (leaving
someone out costs more than a move). One it cannot fit under the standard stays where they are
and is reported as held beyond standard capacity; nobody is added to such a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from repatria.allocation import (
    Affiliation,
    AllocationRequest,
    AllocationResult,
    Person,
    Place,
    allocate,
)
from repatria.domain.accounts import Principal
from repatria.domain.cases import CaseState
from repatria.domain.contracts import ContractRecord
from repatria.domain.errors import InvalidInput, NotFound
from repatria.domain.facilities import SpaceStandard, placement_limit
from repatria.domain.money import ContractNotInForce
from repatria.domain.places import CellRecord, FacilityRecord, StayRecord, UnitRecord
from repatria.i18n import N_
from repatria.i18n import gettext as _
from repatria.services import contracts, facilities, people
from repatria.services.facility_commands import Allocate, ArrivalIn
from repatria.services.gate_reasons import why_not_passed
from repatria.services.ports.facilities import ExpectedArrival
from repatria.services.unit_of_work import UnitOfWork, utcnow


@dataclass
class Placement:
    """Where one person goes (or went, for a move)."""

    person_id: int
    cell: CellRecord
    unit: UnitRecord
    from_cell: CellRecord | None = None


@dataclass
class Left:
    """Someone not placed, with the constraint that blocks them and why."""

    person_id: int
    constraint: str
    reason: str


@dataclass
class AllocationOutcome:
    """What an allocation did (or, on a dry run, would do)."""

    facility: FacilityRecord
    standard: SpaceStandard
    on: date
    result: AllocationResult
    placed: list[Placement] = field(default_factory=list)
    moved: list[Placement] = field(default_factory=list)
    unplaced: list[Left] = field(default_factory=list)
    held_beyond_standard: list[Left] = field(default_factory=list)
    contract: ContractRecord | None = None
    dry_run: bool = False


def _affiliation(stay: StayRecord) -> Affiliation | None:
    if stay.affiliation_group is None:
        return None
    return Affiliation(
        stay.affiliation_group,
        stay.affiliation_source or "",
        stay.affiliation_recorded_on or stay.arrival,
        bool(stay.affiliation_verified),
    )


def _arrival_affiliation(arrival: ArrivalIn) -> Affiliation | None:
    given = arrival.affiliation
    if given is None:
        return None
    return Affiliation(given.group, given.source, given.recorded_on, given.verified)


def _contract(
    uow: UnitOfWork, principal: Principal, facility: FacilityRecord, command: Allocate
) -> tuple[ContractRecord | None, set[int]]:
    """The contract the arrivals are held under, and the people it has admitted so far."""
    if command.contract_id is None:
        return None, set()
    contract = contracts.get_or_raise(uow, principal, command.contract_id)
    if contract.host_state != facility.state or contract.facility_id not in (None, facility.id):
        reason = _("contract %(reference)s is not for this facility", reference=contract.reference)
        raise InvalidInput("contract_id", reason)
    if not contract.as_contract().in_force_on(command.on):
        raise ContractNotInForce(
            _(
                "contract %(reference)s is in force %(start)s to %(end)s, not on %(day)s",
                reference=contract.reference,
                start=contract.starts_on,
                end=contract.ends_on,
                day=command.on,
            )
        )
    return contract, contracts.admitted_people(uow, contract)


def run(
    uow: UnitOfWork, principal: Principal, facility_id: int, command: Allocate
) -> AllocationOutcome:
    """Place the arrivals (and move those already held only where needed); store the stays."""
    facility = facilities.get_or_raise(uow, principal, facility_id)
    facilities.require_operator(principal, facility)
    standard = facilities.standard_of(facility, command.standard, command.on)
    units, cells = facilities.structure(uow, facility)
    unit_of = {u.id: u for u in units}
    cell_of = {str(c.id): c for c in cells}
    held: dict[int, StayRecord] = {}
    for stay in facilities.stays_in(uow, facility):
        if stay.held_on(command.on):
            held.setdefault(stay.person_id, stay)
    contract, admitted = _contract(uow, principal, facility, command)
    cap = contract.cap_people if contract is not None else None
    outcome = AllocationOutcome(facility, standard, command.on, _empty_result(), contract=contract)
    arrivals: dict[int, ArrivalIn] = {}
    for index, arrival in enumerate(command.arrivals):
        _may_arrive(uow, principal, facility, index, arrival.person_id)
        _check_arrival(uow, index, arrival, held, command.on)
        if contract is not None and cap is not None and arrival.person_id not in admitted:
            if len(admitted) >= cap:
                reason = _(
                    "contract %(reference)s is at its cap of %(n)s people",
                    reference=contract.reference,
                    n=cap,
                )
                outcome.unplaced.append(Left(arrival.person_id, "contract", reason))
                continue
            admitted.add(arrival.person_id)  # counted against the cap from here on
        arrivals[arrival.person_id] = arrival
    request = AllocationRequest(
        people=tuple(
            [
                Person(str(pid), s.security_level, _affiliation(s), str(s.cell_id))
                for pid, s in held.items()
            ]
            + [
                Person(str(pid), a.security_level, _arrival_affiliation(a))
                for pid, a in arrivals.items()
            ]
        ),
        places=tuple(
            Place(
                str(c.id),
                c.security_level,
                placement_limit(c.as_cell(), standard),
                str(c.unit_id),
                str(facility.id),
            )
            for c in cells
        ),
        standard=standard.code,
        rivalries=tuple(command.rivalries),
        keep_apart=_pairs("keep_apart", command.keep_apart, held, arrivals),
        keep_together=_pairs("keep_together", command.keep_together, held, arrivals),
    )
    result = allocate(request, time_limit_s=command.time_limit_s)
    outcome.result = result
    reasons = {u.person_id: u for u in result.unplaced}
    for pid in arrivals:
        cell_id = result.placements.get(str(pid))
        if cell_id is None:
            why = reasons[str(pid)]
            outcome.unplaced.append(Left(pid, why.constraint, why.reason))
        else:
            cell = cell_of[cell_id]
            outcome.placed.append(Placement(pid, cell, unit_of[cell.unit_id]))
    for pid, stay in held.items():
        cell_id = result.placements.get(str(pid))
        if cell_id is None:
            why = reasons[str(pid)]
            outcome.held_beyond_standard.append(Left(pid, why.constraint, why.reason))
        elif cell_id != str(stay.cell_id):
            cell = cell_of[cell_id]
            origin = cell_of[str(stay.cell_id)]
            outcome.moved.append(Placement(pid, cell, unit_of[cell.unit_id], origin))
    if command.dry_run:
        outcome.dry_run = True
        return outcome
    _store(uow, principal, outcome, arrivals, held)
    return outcome


# Cases that will not bring the person anywhere.
# The stages a case reaches only once every legal gate has passed (assessment, approvals,
# consent or the removal's notice, fear claims and waiting period): a person whose case is in
# one of them arrives lawfully. A draft, a case under review or one refused brings nobody.
ARRIVING = (
    CaseState.APPROVED,
    CaseState.SCHEDULED,
    CaseState.IN_TRANSIT,
    CaseState.COMPLETED,
    CaseState.CLEARED,
    CaseState.DELIVERED,
)


def _may_arrive(
    uow: UnitOfWork, principal: Principal, facility: FacilityRecord, index: int, person_id: int
) -> None:
    """The person may be placed here: the caller's state may see them, and either the
    facility's state holds them or a case of theirs bound for that state has passed every
    legal gate (ARRIVING). Someone out of sight is NotFound, the same answer as an id that
    does not exist; someone in sight whose case has not passed, or was refused, is refused
    with the case's stage."""
    person = people.get_or_raise(uow, principal, person_id)
    if person.held_by_state == facility.state:
        return
    bound = [case for case in uow.cases.of_person(person_id) if case.to_state == facility.state]
    if not bound:
        raise NotFound("person", person_id)
    if not any(case.state in ARRIVING for case in bound):
        listed = ", ".join(sorted({case.state.value.replace("_", " ") for case in bound}))
        why = "; ".join(filter(None, (why_not_passed(uow, case) for case in bound)))
        said = {"person": person_id, "state": facility.state, "stages": listed, "why": why}
        if why:
            reason = _(
                "person %(person)s is not held by %(state)s, and no case bringing them there has "
                "passed its legal gates (its stage: %(stages)s): %(why)s",
                **said,
            )
        else:
            reason = _(
                "person %(person)s is not held by %(state)s, and no case bringing them there has "
                "passed its legal gates (its stage: %(stages)s)",
                **said,
            )
        raise InvalidInput(f"arrivals.{index}.person_id", reason)


def expected_arrivals(
    uow: UnitOfWork, principal: Principal, facility: FacilityRecord, limit: int = 500
) -> list[ExpectedArrival]:
    """Who may be placed in the facility now, by name: whom the allocation form offers."""
    facilities.require_operator(principal, facility)
    arriving = [stage.value for stage in ARRIVING]
    found = {
        arrival.person_id: arrival
        for arrival in uow.facilities.expected_arrivals(facility.state, arriving, limit)
    }
    return sorted(found.values(), key=lambda a: (a.name, a.person_id))[:limit]


def _check_arrival(
    uow: UnitOfWork, index: int, arrival: ArrivalIn, held: dict[int, StayRecord], on: date
) -> None:
    where = f"arrivals.{index}.person_id"
    if uow.people.get(arrival.person_id) is None:
        raise InvalidInput(where, _("no person %(id)s", id=arrival.person_id))
    if arrival.person_id in held:
        raise InvalidInput(where, _("person %(id)s is already held here", id=arrival.person_id))
    if arrival.release_on is not None and arrival.release_on <= on:
        raise InvalidInput(f"arrivals.{index}.release_on", _("must be after the arrival day"))


def _pairs(
    name: str,
    pairs: list[tuple[int, int]],
    held: dict[int, StayRecord],
    arrivals: dict[int, ArrivalIn],
) -> tuple[tuple[str, str], ...]:
    present = set(held) | set(arrivals)
    for index, pair in enumerate(pairs):
        for person_id in pair:
            if person_id not in present:
                raise InvalidInput(
                    f"{name}.{index}",
                    N_("person %(id)s is neither arriving nor held here"),
                    id=person_id,
                )
    return tuple((str(a), str(b)) for a, b in pairs)


def _store(
    uow: UnitOfWork,
    principal: Principal,
    outcome: AllocationOutcome,
    arrivals: dict[int, ArrivalIn],
    held: dict[int, StayRecord],
) -> None:
    now = utcnow()
    on = outcome.on
    contract_id = outcome.contract.id if outcome.contract is not None else None
    stays = []
    for placement in outcome.placed:
        arrival = arrivals[placement.person_id]
        given = arrival.affiliation
        stays.append(
            StayRecord(
                person_id=placement.person_id,
                cell_id=placement.cell.id or 0,
                arrival=on,
                release=arrival.release_on,
                contract_id=contract_id,
                security_level=arrival.security_level,
                affiliation_group=given.group if given else None,
                affiliation_source=given.source if given else None,
                affiliation_recorded_on=given.recorded_on if given else None,
                affiliation_verified=given.verified if given else None,
                placed_by=principal.user_id,
                placed_at=now,
            )
        )
    for move in outcome.moved:
        stay = held[move.person_id]
        if stay.arrival == on:  # placed earlier the same day: correct the cell, add no stay
            stay.cell_id = move.cell.id or 0
            continue
        stay.release = on
        stays.append(
            StayRecord(
                person_id=stay.person_id,
                cell_id=move.cell.id or 0,
                arrival=on,
                release=None,
                contract_id=stay.contract_id,
                security_level=stay.security_level,
                affiliation_group=stay.affiliation_group,
                affiliation_source=stay.affiliation_source,
                affiliation_recorded_on=stay.affiliation_recorded_on,
                affiliation_verified=stay.affiliation_verified,
                placed_by=principal.user_id,
                placed_at=now,
            )
        )
    uow.facilities.add_stays(stays)
    states = facilities.states_of(uow, outcome.facility)
    uow.record(
        principal,
        "CellsAllocated",
        "facility",
        outcome.facility.id,
        after=summary(outcome),
        reason=f"allocation under {outcome.standard.code} on {on.isoformat()}",
        legal_basis=outcome.contract.citation if outcome.contract is not None else "",
        states=sorted(states),
    )


def summary(outcome: AllocationOutcome) -> dict[str, Any]:
    """A plain account of an allocation, for its event and for the command line."""
    return {
        "on": outcome.on.isoformat(),
        "standard": outcome.standard.code,
        "contract": outcome.contract.reference if outcome.contract is not None else None,
        "placed": {str(p.person_id): p.cell.code for p in outcome.placed},
        "moved": {str(p.person_id): p.cell.code for p in outcome.moved},
        "unplaced": {str(u.person_id): u.constraint for u in outcome.unplaced},
        "held_beyond_standard": len(outcome.held_beyond_standard),
        "objective": outcome.result.objective,
        "bound": outcome.result.bound,
    }


def _empty_result() -> AllocationResult:
    return AllocationResult({}, (), 0, 0, 0, 0, 0.0, "NOT_RUN", 0.0)
