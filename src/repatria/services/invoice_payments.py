"""Whether a custody contract's monthly invoice was paid: the paying state's finance officers
mark it paid (the day and their reference), once; everyone who sees the contract sees it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from repatria.domain.access import Action, require
from repatria.domain.accounts import Principal
from repatria.domain.errors import Conflict, InvalidInput, PermissionDenied
from repatria.i18n import N_
from repatria.services import clock, contracts
from repatria.services.commands import Command
from repatria.services.ports.contracts import InvoicePayment
from repatria.services.unit_of_work import UnitOfWork, utcnow


class RecordPayment(Command):
    """A month's invoice paid: on which day, under which reference."""

    paid_on: date = Field(description="the day it was paid; never in the future")
    reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]


def paid(uow: UnitOfWork, contract_id: int) -> dict[date, InvoicePayment]:
    """The payments recorded for a contract, by the invoice's month (its first day)."""
    return uow.contracts.payments(contract_id)


def record(
    uow: UnitOfWork, principal: Principal, contract_id: int, month: date, command: RecordPayment
) -> None:
    """Mark a month's invoice paid (the paying state's finance officers), once."""
    require(principal, Action.MANAGE_CONTRACTS)
    contract = contracts.get_or_raise(uow, principal, contract_id)
    if principal.state != contract.payer_state:
        raise PermissionDenied(
            N_("only %(state)s, the paying state, records payment"), state=contract.payer_state
        )
    first = month.replace(day=1)
    if first not in contracts.invoice_months(contract, clock.today()):
        raise InvalidInput(
            "month", N_("%(month)s is not a month this contract invoices"), month=f"{first:%Y-%m}"
        )
    if command.paid_on > clock.today():
        raise InvalidInput(
            "paid_on", N_("%(day)s is in the future"), day=command.paid_on.isoformat()
        )
    if first in paid(uow, contract_id):
        raise Conflict(
            N_("the invoice of %(month)s is already recorded as paid"), month=f"{first:%Y-%m}"
        )
    payment = InvoicePayment(
        contract_id=contract_id,
        month=first,
        paid_on=command.paid_on,
        reference=command.reference,
        recorded_by=principal.user_id,
        recorded_at=utcnow(),
    )
    uow.contracts.add_payment(payment)
    uow.record(
        principal,
        "InvoicePaid",
        "custody_contract",
        contract_id,
        after={
            "month": f"{first:%Y-%m}",
            "paid_on": command.paid_on.isoformat(),
            "reference": command.reference,
        },
        states=sorted({contract.payer_state, contract.host_state}),
    )
