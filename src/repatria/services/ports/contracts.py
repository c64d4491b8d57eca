"""The contracts repository: what the services read and change of custody contracts, of the
stays held under them and of the payments of their invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from repatria.domain.contracts import ContractRecord
from repatria.domain.places import StayRecord


@dataclass(frozen=True)
class InvoicePayment:
    """A month's invoice of a contract, recorded as paid."""

    contract_id: int
    month: date  # the invoice's first day
    paid_on: date
    reference: str
    recorded_by: int | None
    recorded_at: datetime


class Contracts(Protocol):
    """Reads and changes custody contracts inside one unit of work."""

    def get(self, contract_id: int) -> ContractRecord | None:
        """The contract with that id, or None."""
        ...

    def by_reference(self, reference: str) -> ContractRecord | None:
        """The contract with that reference, or None."""
        ...

    def seen_by(self, state: str | None) -> list[ContractRecord]:
        """Contracts the state pays or hosts (every contract for None), newest start first."""
        ...

    def add(self, contract: ContractRecord) -> None:
        """Store a new contract; it has its id afterwards."""
        ...

    def admitted(self, contract_id: int, *, besides: int | None = None) -> int:
        """Distinct people ever placed under the contract, leaving one person out if named."""
        ...

    def admitted_people(self, contract_id: int) -> set[int]:
        """The ids of everyone ever placed under the contract."""
        ...

    def stays_under(self, contract_id: int) -> list[StayRecord]:
        """Every stay held under the contract, in the order they were recorded."""
        ...

    def in_force(self, payer: str, host: str, on: date) -> list[ContractRecord]:
        """The contracts between a paying and a host state that cover a day."""
        ...

    def payers_at(self, facility_id: int) -> set[str]:
        """The states paying for custody in a facility under some contract."""
        ...

    def facilities_named(self, payer: str, host: str, on: date) -> set[int]:
        """The facilities named by the contracts between a payer and a host in force on a day."""
        ...

    def ended_holding(self, facility_id: int, on: date) -> list[tuple[str, date, int]]:
        """Contracts ended before a day under which people are still held in a facility: each
        one's reference, last day and the number still held, by last day."""
        ...

    def payments(self, contract_id: int) -> dict[date, InvoicePayment]:
        """The payments recorded for a contract, by the invoice's month (its first day)."""
        ...

    def add_payment(self, payment: InvoicePayment) -> None:
        """Record a month's invoice as paid."""
        ...
