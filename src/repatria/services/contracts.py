"""Custody contracts: record, read, count the people admitted, and invoice each month."""

from __future__ import annotations

from datetime import date

from repatria.domain.access import Action, require, scope_of, sees_states
from repatria.domain.accounts import Principal
from repatria.domain.contracts import ContractRecord
from repatria.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from repatria.domain.money import Custody, Invoice, monthly_invoice
from repatria.domain.records import snapshot
from repatria.i18n import N_
from repatria.services.facility_commands import CreateContract
from repatria.services.unit_of_work import UnitOfWork, utcnow


def get_or_raise(uow: UnitOfWork, principal: Principal, contract_id: int) -> ContractRecord:
    """The contract, if the principal's state pays or hosts; otherwise NotFound."""
    contract = uow.contracts.get(contract_id)
    if contract is None or not sees_states(principal, contract.states):
        raise NotFound("custody contract", contract_id)
    return contract


def find(uow: UnitOfWork, principal: Principal, key: str) -> ContractRecord:
    """A contract by its id or its reference (for the command line)."""
    if key.isdigit():
        return get_or_raise(uow, principal, int(key))
    found = uow.contracts.by_reference(key)
    if found is None or found.id is None:
        raise NotFound("custody contract", key)
    return get_or_raise(uow, principal, found.id)


def list_contracts(uow: UnitOfWork, principal: Principal) -> list[ContractRecord]:
    """Contracts the principal's state pays or hosts, newest start first."""
    return uow.contracts.seen_by(scope_of(principal))


def create(uow: UnitOfWork, principal: Principal, command: CreateContract) -> ContractRecord:
    """Record a custody contract (a finance officer of the paying or the host state)."""
    require(principal, Action.MANAGE_CONTRACTS)
    if principal.state not in (command.payer_state, command.host_state):
        raise PermissionDenied(N_("a contract must involve your state as payer or host"))
    if uow.contracts.by_reference(command.reference) is not None:
        raise Conflict(
            N_("a custody contract with reference %(reference)s already exists"),
            reference=repr(command.reference),
        )
    if command.facility_id is not None:
        facility = uow.facilities.get(command.facility_id)
        if facility is None or facility.state != command.host_state:
            raise InvalidInput(
                "facility_id",
                N_("no facility %(facility)s run by %(state)s"),
                facility=command.facility_id,
                state=command.host_state,
            )
    now = utcnow()
    contract = ContractRecord(
        **command.model_dump(),
        created_by=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    uow.contracts.add(contract)
    uow.record(
        principal,
        "CustodyContractRecorded",
        "custody_contract",
        contract.id,
        after=_stored(contract),
        legal_basis=contract.citation,
        states=list(contract.states),
    )
    return contract


def _stored(contract: ContractRecord) -> dict[str, object]:
    return {**snapshot(contract), "fee": str(contract.fee)}


def admitted(uow: UnitOfWork, contract: ContractRecord, *, besides: int | None = None) -> int:
    """Distinct people ever placed under the contract (leaving one person out, if named)."""
    assert contract.id is not None
    return uow.contracts.admitted(contract.id, besides=besides)


def admitted_people(uow: UnitOfWork, contract: ContractRecord) -> set[int]:
    """The ids of everyone ever placed under the contract."""
    assert contract.id is not None
    return uow.contracts.admitted_people(contract.id)


def custodies(uow: UnitOfWork, contract: ContractRecord) -> list[Custody]:
    """Every period someone was held under the contract, from the stays."""
    assert contract.id is not None
    stays = uow.contracts.stays_under(contract.id)
    return [Custody(str(s.person_id), s.arrival, s.release) for s in stays]


def parse_month(text: str) -> date:
    """The first day of a month written YYYY-MM."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise InvalidInput(
            "month", N_("%(text)s is not a month written YYYY-MM"), text=repr(text)
        ) from None


def invoice(
    uow: UnitOfWork, principal: Principal, contract_id: int, month: date
) -> tuple[ContractRecord, Invoice]:
    """The month's invoice: person-days actually held under the contract, and any lump sum."""
    contract = get_or_raise(uow, principal, contract_id)
    return contract, monthly_invoice(contract.as_contract(), custodies(uow, contract), month)


def invoice_months(contract: ContractRecord, until: date) -> list[date]:
    """The first day of each month the contract covers, up to a day."""
    months = []
    month = contract.starts_on.replace(day=1)
    last = min(contract.ends_on, until)
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


INVOICE_COLUMNS = ("contract", "month", "item", "person_id", "days", "amount", "currency")


def invoice_rows(contract: ContractRecord, bill: Invoice) -> list[dict[str, str]]:
    """The invoice as rows for CSV: one per person, the lump sum if due, and the total."""
    month = bill.month.strftime("%Y-%m")
    base = {"contract": contract.reference, "month": month, "currency": bill.currency}
    rows = [
        {
            **base,
            "item": "custody",
            "person_id": line.person_id,
            "days": str(line.days),
            "amount": str(line.amount),
        }
        for line in bill.lines
    ]
    if bill.lump_sum:
        lump = {"item": "lump sum", "person_id": "", "days": "", "amount": str(bill.lump_sum)}
        rows.append({**base, **lump})
    total = {"item": "total", "person_id": "", "days": str(bill.person_days)}
    rows.append({**base, **total, "amount": str(bill.total)})
    return rows
