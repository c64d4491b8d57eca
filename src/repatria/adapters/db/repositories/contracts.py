"""The contracts repository on SQLAlchemy (services/ports/contracts.py)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, or_, select

from repatria.adapters.db import tables as t
from repatria.domain.contracts import ContractRecord
from repatria.domain.places import StayRecord
from repatria.services.ports.contracts import InvoicePayment

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork

_contracts = t.custody_contracts.c


class SqlContracts:
    """Contracts in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def get(self, contract_id: int) -> ContractRecord | None:
        return self._uow.session.get(ContractRecord, contract_id)

    def by_reference(self, reference: str) -> ContractRecord | None:
        query = select(ContractRecord).where(_contracts.reference == reference)
        return self._uow.session.scalar(query)

    def seen_by(self, state: str | None) -> list[ContractRecord]:
        query = select(ContractRecord).order_by(_contracts.starts_on.desc(), _contracts.id)
        if state is not None:
            query = query.where(
                or_(_contracts.payer_state == state, _contracts.host_state == state)
            )
        return list(self._uow.session.scalars(query))

    def add(self, contract: ContractRecord) -> None:
        self._uow.session.add(contract)
        self._uow.session.flush()

    def admitted(self, contract_id: int, *, besides: int | None = None) -> int:
        query = select(func.count(func.distinct(t.stays.c.person_id))).where(
            t.stays.c.contract_id == contract_id
        )
        if besides is not None:
            query = query.where(t.stays.c.person_id != besides)
        return self._uow.session.scalar(query) or 0

    def admitted_people(self, contract_id: int) -> set[int]:
        query = select(t.stays.c.person_id).where(t.stays.c.contract_id == contract_id).distinct()
        return set(self._uow.session.scalars(query))

    def stays_under(self, contract_id: int) -> list[StayRecord]:
        query = select(StayRecord).where(t.stays.c.contract_id == contract_id)
        return list(self._uow.session.scalars(query.order_by(t.stays.c.id)))

    def in_force(self, payer: str, host: str, on: date) -> list[ContractRecord]:
        query = select(ContractRecord).where(
            _contracts.payer_state == payer,
            _contracts.host_state == host,
            _contracts.starts_on <= on,
            _contracts.ends_on >= on,
        )
        return list(self._uow.session.scalars(query))

    def payers_at(self, facility_id: int) -> set[str]:
        query = select(_contracts.payer_state).where(_contracts.facility_id == facility_id)
        return set(self._uow.session.scalars(query))

    def facilities_named(self, payer: str, host: str, on: date) -> set[int]:
        query = select(_contracts.facility_id).where(
            _contracts.payer_state == payer,
            _contracts.host_state == host,
            _contracts.starts_on <= on,
            _contracts.ends_on >= on,
            _contracts.facility_id.is_not(None),
        )
        return set(self._uow.session.scalars(query))

    def ended_holding(self, facility_id: int, on: date) -> list[tuple[str, date, int]]:
        stays, cells, units = t.stays.c, t.cells.c, t.facility_units.c
        rows = self._uow.session.execute(
            select(_contracts.reference, _contracts.ends_on, func.count(stays.id))
            .join(t.custody_contracts, _contracts.id == stays.contract_id)
            .join(t.cells, cells.id == stays.cell_id)
            .join(t.facility_units, units.id == cells.unit_id)
            .where(
                units.facility_id == facility_id, stays.release.is_(None), _contracts.ends_on < on
            )
            .group_by(_contracts.reference, _contracts.ends_on)
            .order_by(_contracts.ends_on)
        ).all()
        return [(reference, ends_on, int(count)) for reference, ends_on, count in rows]

    def payments(self, contract_id: int) -> dict[date, InvoicePayment]:
        payments = t.invoice_payments.c
        rows = self._uow.session.execute(
            select(
                payments.contract_id,
                payments.month,
                payments.paid_on,
                payments.reference,
                payments.recorded_by,
                payments.recorded_at,
            ).where(payments.contract_id == contract_id)
        )
        return {row.month: InvoicePayment(*row) for row in rows}

    def add_payment(self, payment: InvoicePayment) -> None:
        values = {
            "contract_id": payment.contract_id,
            "month": payment.month,
            "paid_on": payment.paid_on,
            "reference": payment.reference,
            "recorded_by": payment.recorded_by,
            "recorded_at": payment.recorded_at,
        }
        self._uow.session.execute(insert(t.invoice_payments).values(**values))
