"""The facilities repository on SQLAlchemy (services/ports/facilities.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, literal, select

from repatria.adapters.db import tables as t
from repatria.domain.places import CellRecord, FacilityRecord, StayRecord, UnitRecord
from repatria.services.ports.facilities import ExpectedArrival

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork

_facilities = t.facilities.c


class SqlFacilities:
    """Facilities in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def get(self, facility_id: int) -> FacilityRecord | None:
        return self._uow.session.get(FacilityRecord, facility_id)

    def by_code(self, code: str) -> FacilityRecord | None:
        return self._uow.session.scalar(select(FacilityRecord).where(_facilities.code == code))

    def seen_by(self, state: str | None) -> list[FacilityRecord]:
        query = select(FacilityRecord).order_by(_facilities.code)
        if state is not None:
            paid = select(t.custody_contracts.c.facility_id).where(
                t.custody_contracts.c.payer_state == state
            )
            query = query.where((_facilities.state == state) | _facilities.id.in_(paid))
        return list(self._uow.session.scalars(query))

    def run_by(self, state: str, among: set[int] | None = None) -> list[FacilityRecord]:
        query = select(FacilityRecord).where(_facilities.state == state)
        if among is not None:
            query = query.where(_facilities.id.in_(among))
        return list(self._uow.session.scalars(query))

    def count_run_by(self, state: str) -> int:
        count = select(func.count()).where(_facilities.state == state)
        return self._uow.session.scalar(count) or 0

    def add(self, facility: FacilityRecord) -> None:
        self._uow.session.add(facility)
        self._uow.session.flush()

    def add_unit(self, unit: UnitRecord) -> None:
        self._uow.session.add(unit)
        self._uow.session.flush()

    def add_cells(self, cells: Iterable[CellRecord]) -> None:
        self._uow.session.add_all(cells)
        self._uow.session.flush()

    def units(self, facility_id: int) -> list[UnitRecord]:
        query = select(UnitRecord).where(t.facility_units.c.facility_id == facility_id)
        return list(self._uow.session.scalars(query.order_by(t.facility_units.c.code)))

    def cells(self, unit_ids: Iterable[int | None]) -> list[CellRecord]:
        query = (
            select(CellRecord)
            .where(t.cells.c.unit_id.in_(list(unit_ids)))
            .order_by(t.cells.c.unit_id, t.cells.c.id)
        )
        return list(self._uow.session.scalars(query))

    def stays_in(self, facility_id: int) -> list[StayRecord]:
        in_facility = (
            select(t.cells.c.id)
            .join(t.facility_units, t.cells.c.unit_id == t.facility_units.c.id)
            .where(t.facility_units.c.facility_id == facility_id)
        )
        query = select(StayRecord).where(t.stays.c.cell_id.in_(in_facility)).order_by(t.stays.c.id)
        return list(self._uow.session.scalars(query))

    def stay(self, stay_id: int) -> StayRecord | None:
        return self._uow.session.get(StayRecord, stay_id)

    def add_stays(self, stays: Iterable[StayRecord]) -> None:
        self._uow.session.add_all(stays)
        self._uow.session.flush()

    def update_stay(self, stay: StayRecord) -> None:
        self._uow.session.flush()

    def expected_arrivals(
        self, state: str, arriving: Iterable[str], limit: int
    ) -> list[ExpectedArrival]:
        p, c, s = t.people.c, t.cases.c, t.stays.c
        in_a_cell = select(s.person_id).where(s.release.is_(None))
        on_the_way = (
            select(p.id, p.family_name, p.given_names, p.held_by_state, c.reference, c.state)
            .join(t.cases, c.person_id == p.id)
            .where(
                c.to_state == state,
                c.state.in_(list(arriving)),
                p.held_by_state != state,
                p.id.not_in(in_a_cell),
            )
        )
        held_here = select(
            p.id, p.family_name, p.given_names, p.held_by_state, literal(None), literal(None)
        ).where(p.held_by_state == state, p.id.not_in(in_a_cell))
        return [
            ExpectedArrival(row[0], f"{row[1]}, {row[2]}", row[3], row[4], row[5])
            for query in (held_here, on_the_way)
            for row in self._uow.session.execute(query.limit(limit)).all()
        ]
