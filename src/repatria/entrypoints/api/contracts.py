"""Custody contracts and their monthly invoices (JSON and CSV)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from repatria.csv_export import csv_text
from repatria.domain.contracts import ContractRecord
from repatria.domain.money import Invoice
from repatria.entrypoints.api import csv_headers
from repatria.entrypoints.api.csv_headers import Header
from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import CSV, FORBIDDEN, NOT_FOUND, refusals
from repatria.services import clock, contracts
from repatria.services.facility_commands import CreateContract
from repatria.services.unit_of_work import UnitOfWork

router = APIRouter(tags=["money"])
# Years 0001-9999 and months 01-12: every month the path may name is one the code reads.
MONTH = r"^(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])$"
Month = Annotated[str, Path(pattern=MONTH, description="a month, YYYY-MM")]


def contract_json(uow: UnitOfWork, contract: ContractRecord) -> dict[str, Any]:
    admitted = contracts.admitted(uow, contract)
    room = contract.as_contract().room_under_cap(admitted)
    return {
        "id": contract.id,
        "reference": contract.reference,
        "payer_state": contract.payer_state,
        "host_state": contract.host_state,
        "facility_id": contract.facility_id,
        "fee_basis": contract.fee_basis.value,
        "fee": f"{contract.fee:.2f}",
        "currency": contract.currency,
        "cap_people": contract.cap_people,
        "starts_on": contract.starts_on.isoformat(),
        "ends_on": contract.ends_on.isoformat(),
        "funding_source": contract.funding_source,
        "citation": contract.citation,
        "url": contract.url,
        "admitted_people": admitted,
        "room_under_cap": room,
        "version": contract.version,
    }


def invoice_json(contract: ContractRecord, bill: Invoice) -> dict[str, Any]:
    return {
        "contract": contract.reference,
        "contract_id": contract.id,
        "month": bill.month.strftime("%Y-%m"),
        "currency": bill.currency,
        "fee_basis": contract.fee_basis.value,
        "fee": f"{contract.fee:.2f}",
        "lines": [
            {"person_id": line.person_id, "days": line.days, "amount": str(line.amount)}
            for line in bill.lines
        ],
        "person_days": bill.person_days,
        "lump_sum": str(bill.lump_sum),
        "total": str(bill.total),
    }


@router.post(
    "/contracts",
    status_code=201,
    summary="Record a custody contract",
    responses=refusals(FORBIDDEN, NOT_FOUND),
)
def create(body: CreateContract, principal: CurrentPrincipal, uow: Uow, idem: Idempotent) -> object:
    """Record a contract under which a host state holds a paying state's people (finance)."""
    contract = contracts.create(uow, principal, body)
    return idem.commit(uow, contract_json(uow, contract), 201)


@router.get("/contracts", summary="List custody contracts")
def list_contracts(principal: CurrentPrincipal, uow: Uow) -> object:
    """Contracts your state pays for or hosts, with the people admitted against each cap."""
    items = [contract_json(uow, c) for c in contracts.list_contracts(uow, principal)]
    return {"items": items, "total": len(items)}


@router.get("/contracts/{contract_id}", summary="A custody contract")
def read(contract_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """The contract, the people admitted under it and the room left under its cap."""
    return contract_json(uow, contracts.get_or_raise(uow, principal, contract_id))


@router.get("/contracts/{contract_id}/invoices", summary="Monthly invoice totals")
def invoices(contract_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """Each month the contract has covered so far, with its person-days and total."""
    contract = contracts.get_or_raise(uow, principal, contract_id)
    assert contract.id is not None
    items = []
    for month in contracts.invoice_months(contract, clock.today()):
        _, bill = contracts.invoice(uow, principal, contract.id, month)
        items.append(
            {
                "month": month.strftime("%Y-%m"),
                "person_days": bill.person_days,
                "total": str(bill.total),
            }
        )
    return {"contract": contract.reference, "currency": contract.currency, "items": items}


@router.get(
    "/contracts/{contract_id}/invoices/{month}.csv",
    summary="A month's invoice as CSV",
    response_class=Response,
    responses=CSV,
)
def invoice_csv(
    contract_id: RecordId,
    month: Month,
    principal: CurrentPrincipal,
    uow: Uow,
    header: Header = "names",
) -> Response:
    """The month's invoice as CSV: a line per person, the lump sum when due, and the total
    (its header in the reader's words with ?header=words)."""
    contract, bill = contracts.invoice(uow, principal, contract_id, contracts.parse_month(month))
    filename = f"invoice-{contract.reference}-{month}.csv"
    return Response(
        csv_text(
            contracts.INVOICE_COLUMNS,
            contracts.invoice_rows(contract, bill),
            titles=csv_headers.titles(contracts.INVOICE_COLUMNS, header),
        ),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/contracts/{contract_id}/invoices/{month}", summary="A month's invoice")
def invoice(contract_id: RecordId, month: Month, principal: CurrentPrincipal, uow: Uow) -> object:
    """Person-days actually held in the calendar month under the contract, to the cent."""
    contract, bill = contracts.invoice(uow, principal, contract_id, contracts.parse_month(month))
    return invoice_json(contract, bill)
