"""Facility and money pages: occupancy against declared and standard capacity per unit,
custody contracts with their invoices, and the savings of each movement."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.access import Action, allowed
from repatria.domain.accounts import Principal
from repatria.domain.errors import DomainError, InvalidInput
from repatria.domain.money import FeeBasis
from repatria.domain.movements import Movement, MovementState
from repatria.domain.reference_data import space_standards
from repatria.entrypoints.web import charts, facility_admin
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, given
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.security import SVG_POLICY
from repatria.entrypoints.web.typed_dates import as_iso
from repatria.i18n import format_date
from repatria.i18n import gettext as _
from repatria.services import (
    clock,
    contracts,
    facilities,
    invoice_payments,
    movements,
    savings,
    views,
)
from repatria.services.facility_commands import CreateContract, ReleaseStay, standard_code
from repatria.services.unit_of_work import UnitOfWork

router = web_router()
router.include_router(facility_admin.router)  # first: /facilities/new before /facilities/{id}
StandardQuery = Annotated[str, Query(max_length=10)]


def _standard(code: str) -> str | None:
    if not code:
        return None
    try:
        return standard_code(code)
    except ValueError as exc:
        raise InvalidInput("standard", str(exc)) from None


def occupancy_summary(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    """Occupancy of each facility in scope today, for the dashboard."""
    summary = []
    for facility in facilities.list_facilities(uow, principal):
        assert facility.id is not None
        found = facilities.report(uow, principal, facility.id, standard=None, on=clock.today())
        summary.append(
            {
                "href": f"/facilities/{facility.id}",
                "name": facility.name,
                "occupied": found.occupancy,
                "standard": found.capacity.standard_capacity,
                "declared": found.capacity.declared_capacity,
            }
        )
    return summary


@router.get("/facilities")
def facility_list(
    request: Request, uow: Uow, principal: User, standard: StandardQuery = ""
) -> Response:
    """Facilities in scope with declared beside standard capacity and occupancy today."""
    code = _standard(standard)
    reports = []
    for facility in facilities.list_facilities(uow, principal):
        assert facility.id is not None
        reports.append(
            facilities.report(uow, principal, facility.id, standard=code, on=clock.today())
        )
    context = {
        "reports": reports,
        "standards": sorted(space_standards()),
        "chosen": code or "",
        "may_record": allowed(principal, Action.MANAGE_FACILITIES),
    }
    return render(request, "facilities/list.html", context)


@router.get("/facilities/{facility_id}")
def facility_detail(
    request: Request, facility_id: RecordId, uow: Uow, principal: User, standard: StandardQuery = ""
) -> Response:
    """One facility unit by unit: declared, standard capacity and placement limit, occupancy,
    and the forecast for the next year (scheduled arrivals, releases, when room runs out)."""
    code = _standard(standard)
    today = clock.today()
    found = facilities.report(uow, principal, facility_id, standard=code, on=today)
    _, projected = facilities.project(
        uow, principal, facility_id, standard=code, start=today, days=FORECAST_DAYS
    )
    context = {
        "report": found,
        "forecast": projected,
        "forecast_days": FORECAST_DAYS,
        "standards": sorted(space_standards()),
        "chosen": code or "",
        "operator": _operates(principal, found.facility.state),
        "ended_contracts": facilities.ended_contracts_holding(uow, found.facility, today),
    }
    return render(request, "facilities/detail.html", context)


FORECAST_DAYS = 365


def _operates(principal: Principal, state: str) -> bool:
    return allowed(principal, Action.MANAGE_FACILITIES) and principal.state == state


@router.get("/facilities/{facility_id}/stays")
def stays_page(
    request: Request,
    facility_id: RecordId,
    uow: Uow,
    principal: User,
    standard: StandardQuery = "",
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """Every occupied cell with the people held in it today, and a form to end each stay."""
    return render(request, *_stays_page(uow, principal, facility_id, standard, done))


def _stays_page(
    uow: Uow, principal: User, facility_id: int, standard: str = "", done: str = ""
) -> tuple[str, dict[str, Any]]:
    facility, chosen, rows = facilities.occupancy(
        uow, principal, facility_id, standard=_standard(standard), on=clock.today()
    )
    occupied = [r for r in rows if r.stays]
    context = {
        "facility": facility,
        "standard": chosen,
        "rows": occupied,
        "people": views.people_named(uow, {s.person_id for r in occupied for s in r.stays}),
        "operator": _operates(principal, facility.state),
        "today": clock.today().isoformat(),
        "released": done == "released",
    }
    return "facilities/stays.html", context


@router.post("/facilities/{facility_id}/stays/{stay_id}/release")
def release_stay(
    request: Request,
    facility_id: RecordId,
    stay_id: RecordId,
    uow: Uow,
    principal: User,
    on: Short,
    reason: Annotated[str, Form(max_length=4000)] = "",
    confirmed: Short = "",
) -> Response:
    """End a stay: the person leaves the cell on that day (the day itself is not counted).
    The first post asks to confirm, naming the person; the confirmed one ends it."""
    try:
        command = ReleaseStay.model_validate({"on": as_iso(on), "reason": reason})
    except KEPT as refused:  # the day does not read: the stays again, the day as typed
        page = lambda: _stays_page(uow, principal, facility_id)  # noqa: E731
        form, typed = f"release-{stay_id}", {"on": on}
        return form_back(request, uow, refused, form=form, typed=typed, page=page, dates=("on",))
    if confirmed != "yes":
        stay = facilities.operated_stay(uow, principal, facility_id, stay_id)
        context = {
            "facility": facilities.get_or_raise(uow, principal, facility_id),
            "stay": stay,
            "person": views.people_named(uow, {stay.person_id}).get(stay.person_id),
            "on": command.on.isoformat(),
            "reason": reason,
        }
        return render(request, "facilities/confirm_release.html", context)
    facilities.release(uow, principal, facility_id, stay_id, command)
    uow.commit()
    return RedirectResponse(f"/facilities/{facility_id}/stays?done=released", status_code=303)


@router.get("/facilities/{facility_id}/occupancy.svg")
def occupancy_chart(
    facility_id: RecordId, uow: Uow, principal: User, standard: StandardQuery = ""
) -> Response:
    """Occupancy against standard capacity per unit, as SVG."""
    found = facilities.report(
        uow, principal, facility_id, standard=_standard(standard), on=clock.today()
    )
    svg = charts.paired_bars(
        _(
            "%(facility)s: people held against %(standard)s capacity",
            facility=found.facility.name,
            standard=found.standard.code,
        ),
        [u.unit.code for u in found.units],
        (_("held today"), [u.occupancy for u in found.units]),
        (
            _("%(standard)s standard capacity", standard=found.standard.code),
            [u.capacity.standard_capacity for u in found.units],
        ),
        _("people"),
    )
    return _svg(svg)


def _svg(content: bytes) -> Response:
    return Response(
        content, media_type="image/svg+xml", headers={"Content-Security-Policy": SVG_POLICY}
    )


@router.get("/contracts")
def contract_list(request: Request, uow: Uow, principal: User) -> Response:
    """Custody contracts the user's state pays for or hosts, with room under each cap."""
    return render(request, *_contracts_page(uow, principal))


def _contracts_page(uow: Uow, principal: User) -> tuple[str, dict[str, Any]]:
    rows = []
    for contract in contracts.list_contracts(uow, principal):
        admitted = contracts.admitted(uow, contract)
        rows.append(
            {
                "contract": contract,
                "admitted": admitted,
                "room": contract.as_contract().room_under_cap(admitted),
            }
        )
    context = {
        "rows": rows,
        "may_record": allowed(principal, Action.MANAGE_CONTRACTS),
        "fee_bases": list(FeeBasis),
        "facilities": facilities.list_facilities(uow, principal),
    }
    return "facilities/contracts.html", context


@router.post("/contracts")
def create_contract(
    request: Request,
    uow: Uow,
    principal: User,
    reference: Short,
    payer_state: Short,
    host_state: Short,
    fee_basis: Short,
    fee: Short,
    starts_on: Short,
    ends_on: Short,
    funding_source: Annotated[str, Form(max_length=500)],
    currency: Short = "USD",
    cap_people: Short = "",
    facility_id: Short = "",
    citation: Short = "",
    url: Short = "",
) -> Response:
    """Record a custody contract (a finance officer of the paying or the host state)."""
    body: dict[str, Any] = {
        "reference": reference,
        "payer_state": payer_state,
        "host_state": host_state,
        "fee_basis": fee_basis,
        "fee": fee,
        "currency": currency.upper(),
        "starts_on": as_iso(starts_on),
        "ends_on": as_iso(ends_on),
        "funding_source": funding_source,
        "citation": citation,
        "url": url,
        **given(cap_people=cap_people, facility_id=facility_id),
    }
    try:
        contract = contracts.create(uow, principal, CreateContract.model_validate(body))
    except KEPT as refused:
        typed = {**body, "starts_on": starts_on, "ends_on": ends_on, "currency": currency}
        typed.update(cap_people=cap_people, facility_id=facility_id)
        page = lambda: _contracts_page(uow, principal)  # noqa: E731
        dates = ("starts_on", "ends_on")
        return form_back(
            request, uow, refused, form="contract", typed=typed, page=page, dates=dates
        )
    uow.commit()
    return RedirectResponse(f"/contracts/{contract.id}", status_code=303)


@router.get("/contracts/{contract_id}")
def contract_detail(
    request: Request,
    contract_id: RecordId,
    uow: Uow,
    principal: User,
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """A contract with each month's invoice so far (person-days, total, paid or not)."""
    return render(request, *contract_page(uow, principal, contract_id, done))


def contract_page(
    uow: Uow, principal: User, contract_id: int, done: str = ""
) -> tuple[str, dict[str, Any]]:
    """The contract page's template and context (a refused payment shows it again)."""
    contract = contracts.get_or_raise(uow, principal, contract_id)
    assert contract.id is not None
    admitted = contracts.admitted(uow, contract)
    bills = [
        contracts.invoice(uow, principal, contract.id, month)[1]
        for month in contracts.invoice_months(contract, clock.today())
    ]
    context = {
        "contract": contract,
        "admitted": admitted,
        "room": contract.as_contract().room_under_cap(admitted),
        "bills": bills,
        "payments": invoice_payments.paid(uow, contract.id),
        "may_pay": allowed(principal, Action.MANAGE_CONTRACTS)
        and principal.state == contract.payer_state,
        "paid_now": done == "paid",
        "today": clock.today().isoformat(),
    }
    return "facilities/contract.html", context


# Only a movement that left saves anything: a planned one may still not go.
LEFT = frozenset({MovementState.DEPARTED, MovementState.ARRIVED, MovementState.CLOSED})


def _savings_rows(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = movements.list_movements(uow, principal, limit=200, offset=0)
    for movement in page.items:
        assert movement.id is not None
        if movement.state not in LEFT:
            continue
        try:
            report = savings.of_movement(uow, principal, movement.id)
        except DomainError as exc:
            rows.append({"movement": movement, "report": None, "note": exc.said()})
            continue
        rows.append({"movement": movement, "report": report, "note": ""})
    return rows


@router.get("/savings")
def savings_page(request: Request, uow: Uow, principal: User) -> Response:
    """The savings of each movement that left: years left times the sending state's yearly
    cost, with the total in each currency."""
    rows = _savings_rows(uow, principal)
    totals: dict[str, Decimal] = {}
    for row in rows:
        if row["report"] is not None:
            currency = row["report"].rate.currency
            totals[currency] = totals.get(currency, Decimal(0)) + row["report"].total
    context = {"rows": rows, "totals": sorted(totals.items())}
    return render(request, "facilities/savings.html", context)


def chart_label(movement: Movement) -> str:
    """A bar's label a reader takes in at a glance: #184 US→MX, Apr 11, 2025."""
    left = format_date(movement.departed_at or movement.planned_departure)
    return f"#{movement.sequence} {movement.from_state}→{movement.to_state}\n{left}"


@router.get("/savings.svg")
def savings_chart(uow: Uow, principal: User) -> Response:
    """Savings per movement, as SVG (in the rate's currency, millions)."""
    rows = [r for r in _savings_rows(uow, principal) if r["report"] is not None]
    rows.reverse()  # oldest first, left to right
    labels = [chart_label(r["movement"]) for r in rows]
    series: dict[str, dict[str, float]] = {}
    for row in rows:
        currency = row["report"].rate.currency
        name = _("savings (%(currency)s, millions)", currency=currency)
        label = chart_label(row["movement"])
        series.setdefault(name, {})[label] = float(row["report"].total / 1_000_000)
    title = _("Savings per movement")
    return _svg(charts.stacked_bars(title, labels, series, _("millions"), _("nothing to show yet")))
