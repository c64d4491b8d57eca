"""Facilities: record them, read declared beside standard capacity, occupancy, forecast, release."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from repatria.domain.access import Action, require, scope_of, sees_states
from repatria.domain.accounts import Principal
from repatria.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from repatria.domain.facilities import (
    CapacityReport,
    Facility,
    Forecast,
    SpaceStandard,
    capacity_report,
    facility_report,
    forecast,
    placement_limit,
    standard_capacity,
)
from repatria.domain.places import CellRecord, FacilityRecord, StayRecord, UnitRecord, as_facility
from repatria.domain.records import snapshot
from repatria.domain.reference_data import space_standard
from repatria.i18n import N_
from repatria.services.facility_commands import CreateFacility, ReleaseStay
from repatria.services.facility_forecast import expected_releases, scheduled_arrivals
from repatria.services.unit_of_work import UnitOfWork, utcnow


def states_of(uow: UnitOfWork, facility: FacilityRecord) -> set[str]:
    """The states that see a facility: its own, and every state paying for custody there."""
    assert facility.id is not None
    return {facility.state, *uow.contracts.payers_at(facility.id)}


def get_or_raise(uow: UnitOfWork, principal: Principal, facility_id: int) -> FacilityRecord:
    """The facility, if the principal's state runs it or pays for custody in it; else NotFound."""
    facility = uow.facilities.get(facility_id)
    if facility is None or not sees_states(principal, states_of(uow, facility)):
        raise NotFound("facility", facility_id)
    return facility


def find(uow: UnitOfWork, principal: Principal, key: str) -> FacilityRecord:
    """A facility by its id or its code (for the command line)."""
    if key.isdigit():
        return get_or_raise(uow, principal, int(key))
    found = uow.facilities.by_code(key)
    if found is None or found.id is None:
        raise NotFound("facility", key)
    return get_or_raise(uow, principal, found.id)


def list_facilities(uow: UnitOfWork, principal: Principal) -> list[FacilityRecord]:
    """Facilities the principal's state runs or pays for custody in, by code."""
    return uow.facilities.seen_by(scope_of(principal))


def require_operator(principal: Principal, facility: FacilityRecord | CreateFacility) -> None:
    """Only a facility administrator of the state that runs the facility changes it."""
    require(principal, Action.MANAGE_FACILITIES)
    if principal.state != facility.state:
        raise PermissionDenied(
            N_("only %(state)s, the state that runs it, changes it"), state=facility.state
        )


def create(uow: UnitOfWork, principal: Principal, command: CreateFacility) -> FacilityRecord:
    """Record a facility with its units and cells."""
    require_operator(principal, command)
    if uow.facilities.by_code(command.code) is not None:
        raise Conflict(N_("a facility with code %(code)s already exists"), code=repr(command.code))
    now = utcnow()
    facility = FacilityRecord(
        code=command.code,
        name=command.name,
        state=command.state,
        standard=command.standard,
        declared_capacity=command.declared_capacity,
        created_at=now,
        updated_at=now,
    )
    uow.facilities.add(facility)
    assert facility.id is not None
    cells = 0
    for unit_in in command.units:
        unit = UnitRecord(
            facility_id=facility.id,
            code=unit_in.code,
            name=unit_in.name,
            declared_capacity=unit_in.declared_capacity,
        )
        uow.facilities.add_unit(unit)
        assert unit.id is not None
        unit_cells = [
            CellRecord(
                unit_id=unit.id,
                code=code,
                floor_area_m2=cell_in.floor_area_m2,
                sanitary_area_m2=cell_in.sanitary_area_m2,
                beds=cell_in.beds,
                security_level=cell_in.security_level,
                occupancy=cell_in.occupancy,
                declared_capacity=cell_in.declared_capacity,
            )
            for cell_in in unit_in.cells
            for code in cell_in.codes()
        ]
        uow.facilities.add_cells(unit_cells)
        cells += len(unit_cells)
    after = {**snapshot(facility), "units": len(command.units), "cells": cells}
    uow.record(
        principal, "FacilityRecorded", "facility", facility.id, after=after, states=[facility.state]
    )
    return facility


def structure(
    uow: UnitOfWork, facility: FacilityRecord
) -> tuple[list[UnitRecord], list[CellRecord]]:
    """The facility's units (by code) and all their cells (by unit, then code)."""
    assert facility.id is not None
    units = uow.facilities.units(facility.id)
    return units, uow.facilities.cells(u.id for u in units)


def pure(uow: UnitOfWork, facility: FacilityRecord) -> Facility:
    """The facility as the pure type that capacity, forecast and allocation compute on."""
    units, cells = structure(uow, facility)
    return as_facility(facility, units, cells)


def stays_in(uow: UnitOfWork, facility: FacilityRecord) -> list[StayRecord]:
    """Every stay, past, present or booked, in the facility's cells."""
    assert facility.id is not None
    return uow.facilities.stays_in(facility.id)


def ended_contracts_holding(
    uow: UnitOfWork, facility: FacilityRecord, on: date
) -> list[tuple[str, date, int]]:
    """Contracts that ended before `on` under which people are still held in the facility:
    each one's reference, last day and the number still held (the facility page warns)."""
    assert facility.id is not None
    return uow.contracts.ended_holding(facility.id, on)


def standard_of(facility: FacilityRecord, code: str | None, on: date) -> SpaceStandard:
    """The space standard asked for, or the facility's own, as in force on the day."""
    return space_standard(code or facility.standard, on)


@dataclass
class UnitReport:
    """One unit: declared beside standard capacity, and how many are held there on the day."""

    unit: UnitRecord
    capacity: CapacityReport
    occupancy: int
    cells_over_standard: int


@dataclass
class FacilityReport:
    """A facility against a standard on a day: in total and unit by unit."""

    facility: FacilityRecord
    standard: SpaceStandard
    on: date
    capacity: CapacityReport
    occupancy: int
    units: list[UnitReport] = field(default_factory=list)


def report(
    uow: UnitOfWork, principal: Principal, facility_id: int, *, standard: str | None, on: date
) -> FacilityReport:
    """Declared and standard capacity per unit under a standard, with occupancy on a day."""
    facility = get_or_raise(uow, principal, facility_id)
    chosen = standard_of(facility, standard, on)
    units, cells = structure(uow, facility)
    held = _held_by_cell(stays_in(uow, facility), on)
    by_unit: dict[int | None, list[CellRecord]] = {}
    for cell in cells:
        by_unit.setdefault(cell.unit_id, []).append(cell)
    unit_reports = []
    for unit in units:
        unit_cells = by_unit.get(unit.id, [])
        pure_cells = [c.as_cell() for c in unit_cells]
        over = sum(
            1
            for record, cell in zip(unit_cells, pure_cells, strict=True)
            if held.get(record.id or 0, 0) > standard_capacity(cell, chosen)
        )
        unit_reports.append(
            UnitReport(
                unit=unit,
                capacity=capacity_report(pure_cells, chosen, unit.declared_capacity),
                occupancy=sum(held.get(c.id or 0, 0) for c in unit_cells),
                cells_over_standard=over,
            )
        )
    return FacilityReport(
        facility=facility,
        standard=chosen,
        on=on,
        capacity=facility_report(as_facility(facility, units, cells), chosen),
        occupancy=sum(held.values()),
        units=unit_reports,
    )


def _held_by_cell(stays: list[StayRecord], on: date) -> dict[int, int]:
    counts: dict[int, int] = {}
    for stay in stays:
        if stay.held_on(on):
            counts[stay.cell_id] = counts.get(stay.cell_id, 0) + 1
    return counts


@dataclass
class CellOccupancy:
    """Who is in one cell on a day, against what the standard allows there."""

    unit: UnitRecord
    cell: CellRecord
    standard_capacity: int
    placement_limit: int
    stays: list[StayRecord]


def occupancy(
    uow: UnitOfWork, principal: Principal, facility_id: int, *, standard: str | None, on: date
) -> tuple[FacilityRecord, SpaceStandard, list[CellOccupancy]]:
    """Every cell with the people held in it on a day."""
    facility = get_or_raise(uow, principal, facility_id)
    chosen = standard_of(facility, standard, on)
    units, cells = structure(uow, facility)
    unit_of = {u.id: u for u in units}
    held: dict[int, list[StayRecord]] = {}
    for stay in stays_in(uow, facility):
        if stay.held_on(on):
            held.setdefault(stay.cell_id, []).append(stay)
    rows = [
        CellOccupancy(
            unit=unit_of[cell.unit_id],
            cell=cell,
            standard_capacity=standard_capacity(cell.as_cell(), chosen),
            placement_limit=placement_limit(cell.as_cell(), chosen),
            stays=held.get(cell.id or 0, []),
        )
        for cell in cells
    ]
    return facility, chosen, rows


def project(
    uow: UnitOfWork,
    principal: Principal,
    facility_id: int,
    *,
    standard: str | None,
    start: date,
    days: int,
) -> tuple[FacilityRecord, Forecast]:
    """Projected occupancy from stays, scheduled arrivals and release dates, and when room runs
    out."""
    facility = get_or_raise(uow, principal, facility_id)
    chosen = standard_of(facility, standard, start)
    stays = [s.as_stay() for s in stays_in(uow, facility)]
    arrivals = scheduled_arrivals(uow, facility)
    people = {s.person_id for s in stays if s.release is None} | {a.person_id for a in arrivals}
    releases = expected_releases(uow, {int(p) for p in people})
    projected = forecast(
        pure(uow, facility), chosen, stays, start, days, arrivals=arrivals, releases=releases
    )
    return facility, projected


def operated_stay(
    uow: UnitOfWork, principal: Principal, facility_id: int, stay_id: int
) -> StayRecord:
    """A stay at a facility the principal's state runs (its facility administrators)."""
    facility = get_or_raise(uow, principal, facility_id)
    require_operator(principal, facility)
    stay = uow.facilities.stay(stay_id)
    if stay is None or stay.id not in {s.id for s in stays_in(uow, facility)}:
        raise NotFound("stay", stay_id)
    return stay


def release(
    uow: UnitOfWork, principal: Principal, facility_id: int, stay_id: int, command: ReleaseStay
) -> StayRecord:
    """End a stay: the person leaves the cell on that day (the day itself is not counted)."""
    facility = get_or_raise(uow, principal, facility_id)
    stay = operated_stay(uow, principal, facility_id, stay_id)
    if stay.release is not None:
        raise Conflict(
            N_("stay %(stay)s already ended on %(day)s"), stay=stay_id, day=stay.release.isoformat()
        )
    if command.on < stay.arrival:
        raise InvalidInput("on", N_("before the arrival on %(day)s"), day=stay.arrival.isoformat())
    before = snapshot(stay)
    stay.release = command.on
    uow.facilities.update_stay(stay)
    uow.record(
        principal,
        "StayEnded",
        "stay",
        stay.id,
        before=before,
        after=snapshot(stay),
        reason=command.reason,
        states=sorted(states_of(uow, facility)),
    )
    return stay
