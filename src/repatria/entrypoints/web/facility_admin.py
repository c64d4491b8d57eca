"""The facility administrator's forms: record a facility with its units and cells, and place
arriving people in cells (with who could not be placed and the constraint that blocks them).

Both call the same services as the API (`facilities.create`, `allocation.run`) in one unit of
work. Lists of cells, arrivals and pairs are typed one to a line, comma separated; a line that
does not read is a 422 page naming the field and the line.
"""

from __future__ import annotations

import csv
from typing import Annotated, Any

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.access import Action, require
from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
from repatria.domain.places import FacilityRecord
from repatria.domain.reference_data import space_standards
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, given
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.typed_dates import as_iso
from repatria.i18n import N_
from repatria.services import allocation, clock, contracts, facilities, views
from repatria.services.facility_commands import Allocate, CreateFacility
from repatria.services.unit_of_work import UnitOfWork

router = web_router()
Lines = Annotated[str, Form(max_length=200_000)]
CELL_FIELDS = (
    "unit code",
    "unit name",
    "cell code",
    "count",
    "floor m²",
    "sanitary m²",
    "beds",
    "security level",
    "design",
)


def rows(field: str, text: str, least: int, most: int) -> list[tuple[int, list[str]]]:
    """The non-blank lines of a text area, each split at commas, with its line number."""
    found = []
    for number, line in enumerate(csv.reader(text.splitlines(), skipinitialspace=True), 1):
        values = [value.strip() for value in line]
        if not any(values):
            continue
        if not least <= len(values) <= most:
            expected = str(least) if least == most else f"{least} to {most}"
            raise InvalidInput(
                field,
                N_("line %(number)s: %(expected)s values, not %(found)s"),
                number=number,
                expected=expected,
                found=len(values),
            )
        found.append((number, values + [""] * (most - len(values))))
    return found


def units_from(text: str) -> list[dict[str, Any]]:
    """Units and their cells from lines of `CELL_FIELDS` (and an optional declared capacity)."""
    units: dict[str, dict[str, Any]] = {}
    for _, values in rows("cells", text, len(CELL_FIELDS), len(CELL_FIELDS) + 1):
        unit_code, unit_name, code, count, floor, sanitary, beds, level, design, declared = values
        unit = units.setdefault(unit_code, {"code": unit_code, "name": unit_name, "cells": []})
        cell = {"code": code, "count": count or "1", "floor_area_m2": floor, "beds": beds}
        cell.update(sanitary_area_m2=sanitary or "0", security_level=level)
        cell.update(given(occupancy=design, declared_capacity=declared))
        unit["cells"].append(cell)
    return list(units.values())


@router.get("/facilities/new")
def new_facility(request: Request, principal: User) -> Response:
    """The form to record a facility of the user's state (facility administrators)."""
    require(principal, Action.MANAGE_FACILITIES)
    return render(request, *_new_facility_page())


def _new_facility_page() -> tuple[str, dict[str, Any]]:
    context = {"standards": sorted(space_standards()), "cell_fields": ", ".join(CELL_FIELDS)}
    return "facilities/new.html", context


@router.post("/facilities")
def create_facility(
    request: Request,
    uow: Uow,
    principal: User,
    code: Short,
    name: Short,
    cells: Lines,
    standard: Short = "CPT",
    declared_capacity: Short = "",
) -> Response:
    """Record a facility with its units and cells; then show it. Refused, the form comes
    back as typed, each reason beside its field."""
    typed = {
        "code": code,
        "name": name,
        "cells": cells,
        "standard": standard,
        "declared_capacity": declared_capacity,
    }
    try:
        body = {
            "code": code,
            "name": name,
            "state": principal.state,
            "standard": standard,
            "units": units_from(cells),
            **given(declared_capacity=declared_capacity),
        }
        facility = facilities.create(uow, principal, CreateFacility.model_validate(body))
    except KEPT as refused:
        aliases = {"units": "cells"}
        return form_back(
            request,
            uow,
            refused,
            form="facility",
            typed=typed,
            page=_new_facility_page,
            aliases=aliases,
        )
    uow.commit()
    return RedirectResponse(f"/facilities/{facility.id}", status_code=303)


def arrivals_from(text: str) -> list[dict[str, Any]]:
    """Arrivals from lines of person id, security level, and optionally the expected release,
    then a group affiliation's group, source, date and whether it is verified (yes / no)."""
    arrivals = []
    for number, values in rows("arrivals", text, 2, 7):
        person_id, level, release_on, group, source, recorded_on, verified = values
        arrival: dict[str, Any] = {"person_id": person_id, "security_level": level}
        arrival.update(given(release_on=as_iso(release_on)))
        if group:
            if verified.lower() not in ("yes", "no"):
                raise InvalidInput(
                    "arrivals", N_("line %(number)s: verified must be yes or no"), number=number
                )
            affiliation = {"group": group, "source": source, "recorded_on": as_iso(recorded_on)}
            arrival["affiliation"] = {**affiliation, "verified": verified.lower() == "yes"}
        arrivals.append(arrival)
    return arrivals


def pairs_from(field: str, text: str) -> list[list[str]]:
    """Pairs, one to a line: two person ids, or two group names for rivalries."""
    return [values for _, values in rows(field, text, 2, 2)]


def _contracts_for(uow: UnitOfWork, principal: Principal, facility: FacilityRecord) -> list[Any]:
    """The contracts people may arrive under today: for this facility, and not yet ended."""
    today = clock.today()
    return [
        c
        for c in contracts.list_contracts(uow, principal)
        if c.host_state == facility.state
        and c.facility_id in (None, facility.id)
        and c.ends_on >= today
    ]


def chosen_arrivals(values: list[str]) -> list[dict[str, Any]]:
    """The expected arrivals ticked on the form: each select's value is `person id:level`, or
    blank for someone not arriving this time."""
    arrivals = []
    for value in values:
        if not value.strip():
            continue
        person_id, _, level = value.partition(":")
        if not person_id.isdigit() or not level:
            raise InvalidInput(
                "arrival",
                N_("%(value)s is not a person and a security level"),
                value=repr(value),
            )
        arrivals.append({"person_id": person_id, "security_level": level})
    return arrivals


@router.get("/facilities/{facility_id}/allocations/new")
def new_allocation(request: Request, facility_id: RecordId, uow: Uow, principal: User) -> Response:
    """The form to place arriving people in the facility's cells (its administrators)."""
    return render(request, *_allocation_page(uow, principal, facility_id))


def _allocation_page(
    uow: UnitOfWork, principal: Principal, facility_id: int
) -> tuple[str, dict[str, Any]]:
    facility = facilities.get_or_raise(uow, principal, facility_id)
    facilities.require_operator(principal, facility)
    _, cells = facilities.structure(uow, facility)
    context = {
        "facility": facility,
        "standards": sorted(space_standards()),
        "contracts": _contracts_for(uow, principal, facility),
        "expected": allocation.expected_arrivals(uow, principal, facility),
        "levels": sorted({cell.security_level for cell in cells}),
        "today": clock.today().isoformat(),
    }
    return "facilities/allocate.html", context


@router.post("/facilities/{facility_id}/allocations")
def allocate(
    request: Request,
    facility_id: RecordId,
    uow: Uow,
    principal: User,
    on: Short,
    arrival: Annotated[list[str] | None, Form()] = None,
    arrivals: Lines = "",
    standard: Short = "",
    contract_id: Short = "",
    rivalries: Lines = "",
    keep_apart: Lines = "",
    keep_together: Lines = "",
    dry_run: Short = "",
) -> Response:
    """Place the arrivals; show who went where, and who could not be placed and why. A form
    that does not read comes back as typed, each reason beside its field."""
    typed = {
        "on": on,
        "arrival": " ".join(arrival or []),
        "arrivals": arrivals,
        "standard": standard,
        "contract_id": contract_id,
        "rivalries": rivalries,
        "keep_apart": keep_apart,
        "keep_together": keep_together,
        "dry_run": dry_run,
    }
    try:
        body = {
            "on": as_iso(on),
            "arrivals": chosen_arrivals(arrival or []) + arrivals_from(arrivals),
            "rivalries": pairs_from("rivalries", rivalries),
            "keep_apart": pairs_from("keep_apart", keep_apart),
            "keep_together": pairs_from("keep_together", keep_together),
            "dry_run": dry_run == "yes",
            **given(standard=standard, contract_id=contract_id),
        }
        outcome = allocation.run(uow, principal, facility_id, Allocate.model_validate(body))
    except KEPT as refused:
        page = lambda: _allocation_page(uow, principal, facility_id)  # noqa: E731
        return form_back(
            request, uow, refused, form="allocation", typed=typed, page=page, dates=("on",)
        )
    if not outcome.dry_run:
        uow.commit()
    mentioned = [p.person_id for p in (*outcome.placed, *outcome.moved)]
    mentioned += [left.person_id for left in (*outcome.unplaced, *outcome.held_beyond_standard)]
    ids = {int(person_id) for person_id in mentioned if str(person_id).isdigit()}
    names = {
        person_id: f"{person.family_name}, {person.given_names}"
        for person_id, person in views.people_named(uow, ids).items()
    }
    return render(request, "facilities/allocation.html", {"outcome": outcome, "names": names})
