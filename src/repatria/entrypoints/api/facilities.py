"""Facilities: declared beside standard capacity, occupancy, forecast, and ending a stay."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query

from repatria.domain.errors import InvalidInput
from repatria.domain.facilities import CapacityReport, SpaceStandard
from repatria.domain.places import FacilityRecord, StayRecord
from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN, NOT_FOUND
from repatria.services import clock, facilities
from repatria.services.commands import Day
from repatria.services.facility_commands import (
    CreateFacility,
    ReleaseStay,
    standard_code,
    standard_pattern,
)

router = APIRouter(tags=["facilities"])

Standard = Annotated[
    str | None,
    Query(
        max_length=10,
        pattern=standard_pattern(),
        description="space standard (CPT, ICRC); default: the facility's own",
    ),
]
On = Annotated[Day | None, Query(description="the day (default: today)")]


def chosen_standard(code: str | None) -> str | None:
    """A standard code from a query, or InvalidInput naming the parameter."""
    if code is None:
        return None
    try:
        return standard_code(code)
    except ValueError as exc:
        raise InvalidInput("standard", str(exc)) from None


def area(value: Decimal) -> str:
    """An area as text with two decimals (exact, as stored)."""
    return f"{value:.2f}"


def standard_json(standard: SpaceStandard) -> dict[str, Any]:
    return {
        "code": standard.code,
        "name": standard.name,
        "single_cell_m2": area(standard.single_cell_m2),
        "shared_per_person_m2": area(standard.shared_per_person_m2),
        "rule": standard.shared_rule.value,
        "effective": standard.effective.isoformat(),
        "citation": standard.citation,
        "url": standard.url,
        "verified": standard.verified,
    }


def capacity_json(report: CapacityReport) -> dict[str, Any]:
    return {
        "cells": report.cells,
        "beds": report.beds,
        "declared_capacity": report.declared_capacity,
        "standard_capacity": report.standard_capacity,
        "placement_limit": report.placement_limit,
        "declared_excess": report.declared_excess,
        "declared_ratio": None if report.declared_ratio is None else str(report.declared_ratio),
    }


def facility_json(facility: FacilityRecord) -> dict[str, Any]:
    return {
        "id": facility.id,
        "code": facility.code,
        "name": facility.name,
        "state": facility.state,
        "standard": facility.standard,
        "declared_capacity": facility.declared_capacity,
        "version": facility.version,
    }


def stay_json(stay: StayRecord) -> dict[str, Any]:
    affiliation = None
    if stay.affiliation_group is not None:
        affiliation = {
            "group": stay.affiliation_group,
            "source": stay.affiliation_source,
            "recorded_on": stay.affiliation_recorded_on.isoformat()
            if stay.affiliation_recorded_on
            else None,
            "verified": bool(stay.affiliation_verified),
            "use": "separation of rival groups only; never a legal ground",
        }
    return {
        "id": stay.id,
        "person_id": stay.person_id,
        "cell_id": stay.cell_id,
        "arrival": stay.arrival.isoformat(),
        "release": stay.release.isoformat() if stay.release else None,
        "contract_id": stay.contract_id,
        "security_level": stay.security_level,
        "affiliation": affiliation,
    }


def report_json(report: facilities.FacilityReport) -> dict[str, Any]:
    return {
        **facility_json(report.facility),
        "on": report.on.isoformat(),
        "standard_used": standard_json(report.standard),
        "capacity": capacity_json(report.capacity),
        "occupancy": report.occupancy,
        "units": [
            {
                "id": u.unit.id,
                "code": u.unit.code,
                "name": u.unit.name,
                **capacity_json(u.capacity),
                "occupancy": u.occupancy,
                "cells_over_standard": u.cells_over_standard,
            }
            for u in report.units
        ],
    }


@router.get("/facilities", summary="List facilities", responses=NOT_FOUND)
def list_facilities(
    principal: CurrentPrincipal, uow: Uow, standard: Standard = None, on: On = None
) -> object:
    """Facilities your state runs or pays for custody in, with declared and standard capacity."""
    code, day = chosen_standard(standard), on or clock.today()
    items = []
    for facility in facilities.list_facilities(uow, principal):
        assert facility.id is not None
        report = facilities.report(uow, principal, facility.id, standard=code, on=day)
        items.append(
            {
                **facility_json(facility),
                "standard_used": report.standard.code,
                **capacity_json(report.capacity),
                "occupancy": report.occupancy,
            }
        )
    return {"items": items, "total": len(items), "on": day.isoformat()}


@router.post("/facilities", status_code=201, summary="Record a facility", responses=FORBIDDEN)
def create(body: CreateFacility, principal: CurrentPrincipal, uow: Uow, idem: Idempotent) -> object:
    """Record a facility with its units and cells (its state's facility administrators)."""
    facility = facilities.create(uow, principal, body)
    assert facility.id is not None
    report = facilities.report(uow, principal, facility.id, standard=None, on=clock.today())
    return idem.commit(uow, report_json(report), 201)


@router.get("/facilities/{facility_id}", summary="A facility against a space standard")
def read(
    facility_id: RecordId,
    principal: CurrentPrincipal,
    uow: Uow,
    standard: Standard = None,
    on: On = None,
) -> object:
    """Declared beside standard capacity, in total and per unit, with occupancy on the day."""
    report = facilities.report(
        uow, principal, facility_id, standard=chosen_standard(standard), on=on or clock.today()
    )
    return report_json(report)


@router.get("/facilities/{facility_id}/occupancy", summary="Who is in each cell")
def occupancy(
    facility_id: RecordId,
    principal: CurrentPrincipal,
    uow: Uow,
    standard: Standard = None,
    on: On = None,
) -> object:
    """Every cell with its area, beds, standard capacity and the people held in it that day."""
    day = on or clock.today()
    facility, chosen, cells = facilities.occupancy(
        uow, principal, facility_id, standard=chosen_standard(standard), on=day
    )
    return {
        **facility_json(facility),
        "on": day.isoformat(),
        "standard_used": chosen.code,
        "cells": [
            {
                "id": row.cell.id,
                "code": row.cell.code,
                "unit": row.unit.code,
                "floor_area_m2": area(row.cell.floor_area_m2),
                "sanitary_area_m2": area(row.cell.sanitary_area_m2),
                "beds": row.cell.beds,
                "security_level": row.cell.security_level,
                "occupancy_design": row.cell.occupancy.value,
                "standard_capacity": row.standard_capacity,
                "placement_limit": row.placement_limit,
                "held": len(row.stays),
                "over_standard": len(row.stays) > row.standard_capacity,
                "stays": [stay_json(s) for s in row.stays],
            }
            for row in cells
        ],
    }


@router.get("/facilities/{facility_id}/forecast", summary="Projected occupancy")
def forecast(
    facility_id: RecordId,
    principal: CurrentPrincipal,
    uow: Uow,
    standard: Standard = None,
    start: Annotated[Day | None, Query(description="first day (default: today)")] = None,
    days: Annotated[int, Query(ge=1, le=3660, description="days to project")] = 365,
) -> object:
    """Occupancy day by day, and when room runs out.

    Counted: the stays (booked arrivals and releases included), everyone on board a movement
    to the facility's state that has not arrived yet (from its planned departure day, if the
    movement is bound for this facility), and each person's expected release from their
    latest determinate sentence. `changes` lists the days people arrive or leave.
    """
    facility, projected = facilities.project(
        uow,
        principal,
        facility_id,
        standard=chosen_standard(standard),
        start=start or clock.today(),
        days=days,
    )
    return {
        **facility_json(facility),
        "standard_used": projected.standard,
        "standard_capacity": projected.standard_capacity,
        "full_on": projected.full_on.isoformat() if projected.full_on else None,
        "over_on": projected.over_on.isoformat() if projected.over_on else None,
        "scheduled_arrivals": projected.scheduled_arrivals,
        "changes": [
            {
                "on": change.on.isoformat(),
                "arrivals": change.arrivals,
                "releases": change.releases,
                "occupancy": change.occupancy,
            }
            for change in projected.changes
        ],
        "days": [{"on": day.isoformat(), "occupancy": n} for day, n in projected.days],
    }


@router.post(
    "/facilities/{facility_id}/stays/{stay_id}/release", summary="End a stay", responses=FORBIDDEN
)
def release(
    facility_id: RecordId,
    stay_id: RecordId,
    body: ReleaseStay,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Record that a person left their cell on a day (that day is not counted as held)."""
    stay = facilities.release(uow, principal, facility_id, stay_id, body)
    return idem.commit(uow, stay_json(stay))
