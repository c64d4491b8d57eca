"""Facilities: record them, read declared beside standard capacity, occupancy, forecast, release."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.domain.access import Action, require, sees_everything, sees_states
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
from repatria.services.facility_commands import CreateFacility, ReleaseStay
from repatria.services.facility_forecast import expected_releases, scheduled_arrivals
from repatria.services.unit_of_work import UnitOfWork, utcnow


def states_of(uow: UnitOfWork, facility: FacilityRecord) -> set[str]:
    """The states that see a facility: its own, and every state paying for custody there."""
    payers = uow.session.scalars(
        select(t.custody_contracts.c.payer_state).where(
            t.custody_contracts.c.facility_id == facility.id
        )
    )
    return {facility.state, *payers}


def get_or_raise(uow: UnitOfWork, principal: Principal, facility_id: int) -> FacilityRecord:
    """The facility, if the principal's state runs it or pays for custody in it; else NotFound."""
    facility = uow.session.get(FacilityRecord, facility_id)
    if facility is None or not sees_states(principal, states_of(uow, facility)):
        raise NotFound("facility", facility_id)
    return facility


def find(uow: UnitOfWork, principal: Principal, key: str) -> FacilityRecord:
    """A facility by its id or its code (for the command line)."""
    if key.isdigit():
        return get_or_raise(uow, principal, int(key))
    found = uow.session.scalar(select(FacilityRecord).where(t.facilities.c.code == key))
    if found is None or found.id is None:
        raise NotFound("facility", key)
    return get_or_raise(uow, principal, found.id)


def list_facilities(uow: UnitOfWork, principal: Principal) -> list[FacilityRecord]:
    """Facilities the principal's state runs or pays for custody in, by code."""
    query = select(FacilityRecord).order_by(t.facilities.c.code)
    if not sees_everything(principal):
        paid = select(t.custody_contracts.c.facility_id).where(
            t.custody_contracts.c.payer_state == principal.state
        )
        query = query.where((t.facilities.c.state == principal.state) | t.facilities.c.id.in_(paid))
    return list(uow.session.scalars(query))


def require_operator(principal: Principal, facility: FacilityRecord | CreateFacility) -> None:
    """Only a facility administrator of the state that runs the facility changes it."""
    require(principal, Action.MANAGE_FACILITIES)
    if principal.state != facility.state:
        raise PermissionDenied(f"only {facility.state}, the state that runs it, changes it")


def create(uow: UnitOfWork, principal: Principal, command: CreateFacility) -> FacilityRecord:
    """Record a facility with its units and cells."""
    require_operator(principal, command)
    if uow.session.scalar(select(t.facilities.c.id).where(t.facilities.c.code == command.code)):
        raise Conflict(f"a facility with code {command.code!r} already exists")
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
    uow.session.add(facility)
    uow.session.flush()
    assert facility.id is not None
    cells = 0
    for unit_in in command.units:
        unit = UnitRecord(
            facility_id=facility.id,
            code=unit_in.code,
            name=unit_in.name,
            declared_capacity=unit_in.declared_capacity,
        )
        uow.session.add(unit)
        uow.session.flush()
        assert unit.id is not None
        for cell_in in unit_in.cells:
            for code in cell_in.codes():
                uow.session.add(
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
                )
                cells += 1
    uow.session.flush()
    after = {**snapshot(facility), "units": len(command.units), "cells": cells}
    uow.record(
        principal, "FacilityRecorded", "facility", facility.id, after=after, states=[facility.state]
    )
    return facility


def structure(
    uow: UnitOfWork, facility: FacilityRecord
) -> tuple[list[UnitRecord], list[CellRecord]]:
    """The facility's units (by code) and all their cells (by unit, then code)."""
    units = list(
        uow.session.scalars(
            select(UnitRecord)
            .where(t.facility_units.c.facility_id == facility.id)
            .order_by(t.facility_units.c.code)
        )
    )
    cells = list(
        uow.session.scalars(
            select(CellRecord)
            .where(t.cells.c.unit_id.in_([u.id for u in units]))
            .order_by(t.cells.c.unit_id, t.cells.c.id)
        )
    )
    return units, cells


def pure(uow: UnitOfWork, facility: FacilityRecord) -> Facility:
    """The facility as the pure type that capacity, forecast and allocation compute on."""
    units, cells = structure(uow, facility)
    return as_facility(facility, units, cells)


def stays_in(uow: UnitOfWork, facility: FacilityRecord) -> list[StayRecord]:
    """Every stay, past, present or booked, in the facility's cells."""
    in_facility = (
        select(t.cells.c.id)
        .join(t.facility_units, t.cells.c.unit_id == t.facility_units.c.id)
        .where(t.facility_units.c.facility_id == facility.id)
    )
    query = select(StayRecord).where(t.stays.c.cell_id.in_(in_facility)).order_by(t.stays.c.id)
    return list(uow.session.scalars(query))


def ended_contracts_holding(
    uow: UnitOfWork, facility: FacilityRecord, on: date
) -> list[tuple[str, date, int]]:
    """Contracts that ended before `on` under which people are still held in the facility:
    each one's reference, last day and the number still held (the facility page warns)."""
    stays, cells, units, k = t.stays.c, t.cells.c, t.facility_units.c, t.custody_contracts.c
    rows = uow.session.execute(
        select(k.reference, k.ends_on, func.count(stays.id))
        .join(t.custody_contracts, k.id == stays.contract_id)
        .join(t.cells, cells.id == stays.cell_id)
        .join(t.facility_units, units.id == cells.unit_id)
        .where(units.facility_id == facility.id, stays.release.is_(None), k.ends_on < on)
        .group_by(k.reference, k.ends_on)
        .order_by(k.ends_on)
    ).all()
    return [(reference, ends_on, int(count)) for reference, ends_on, count in rows]


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
    stay = uow.session.get(StayRecord, stay_id)
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
        raise Conflict(f"stay {stay_id} already ended on {stay.release.isoformat()}")
    if command.on < stay.arrival:
        raise InvalidInput("on", f"before the arrival on {stay.arrival.isoformat()}")
    before = snapshot(stay)
    stay.release = command.on
    uow.session.flush()
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
