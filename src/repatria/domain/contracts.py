"""Custody contracts as stored records; `as_contract` gives the pure `CustodyContract`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from repatria.domain.money import CustodyContract, FeeBasis


@dataclass(eq=False)
class ContractRecord:
    """A host state's agreement to hold a paying state's people, as stored."""

    reference: str
    payer_state: str
    host_state: str
    fee_basis: FeeBasis
    fee: Decimal
    currency: str
    starts_on: date
    ends_on: date
    funding_source: str
    created_at: datetime
    updated_at: datetime
    facility_id: int | None = None
    cap_people: int | None = None
    citation: str = ""
    url: str = ""
    created_by: int | None = None
    version: int = 1
    id: int | None = None

    @property
    def states(self) -> tuple[str, str]:
        """The paying and the host state: the two that see the contract."""
        return (self.payer_state, self.host_state)

    def as_contract(self) -> CustodyContract:
        """The pure contract, for admission checks and invoices."""
        return CustodyContract(
            id=self.reference,
            host_state=self.host_state,
            facility_id=None if self.facility_id is None else str(self.facility_id),
            fee_basis=self.fee_basis,
            fee=self.fee,
            currency=self.currency,
            cap_people=self.cap_people,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            funding_source=self.funding_source,
            citation=self.citation,
            url=self.url,
        )
