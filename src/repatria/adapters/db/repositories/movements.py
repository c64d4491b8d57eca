"""The movements repository on SQLAlchemy (services/ports/movements.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from repatria.adapters.db import tables as t
from repatria.domain.movements import ManifestEntry, Movement, MovementState
from repatria.services.ports.movements import OnTheWay

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork

_movements, _manifest = t.movements.c, t.manifest_entries.c
_NOT_ARRIVED = (MovementState.PLANNED, MovementState.MANIFEST_LOCKED, MovementState.DEPARTED)


class SqlMovements:
    """Movements in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def get(self, movement_id: int) -> Movement | None:
        return self._uow.session.get(Movement, movement_id)

    def last_sequence(self, authority: str, from_state: str, to_state: str) -> int | None:
        last: int | None = self._uow.session.scalar(
            select(func.max(_movements.sequence)).where(
                _movements.authority == authority,
                _movements.from_state == from_state,
                _movements.to_state == to_state,
            )
        )
        return last

    def add(self, movement: Movement) -> None:
        self._uow.session.add(movement)
        self._uow.session.flush()

    def update(self, movement: Movement) -> None:
        self._uow.session.flush()

    def page(self, state: str | None, *, limit: int, offset: int) -> tuple[list[Movement], int]:
        query = select(Movement)
        if state is not None:
            query = query.where(or_(_movements.from_state == state, _movements.to_state == state))
        session = self._uow.session
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = session.scalars(query.order_by(_movements.id.desc()).limit(limit).offset(offset))
        return list(items), total

    def manifest(self, movement_id: int, *, on_board_only: bool = False) -> list[ManifestEntry]:
        query = select(ManifestEntry).where(_manifest.movement_id == movement_id)
        if on_board_only:
            query = query.where(_manifest.removed_at.is_(None))
        return list(self._uow.session.scalars(query.order_by(_manifest.id)))

    def add_entry(self, entry: ManifestEntry) -> None:
        self._uow.session.add(entry)
        self._uow.session.flush()

    def carrying(self, case_id: int) -> Movement | None:
        query = (
            select(Movement)
            .join(t.manifest_entries, _manifest.movement_id == _movements.id)
            .where(_manifest.case_id == case_id, _manifest.removed_at.is_(None))
            .order_by(_manifest.id.desc())
            .limit(1)
        )
        return self._uow.session.scalars(query).first()

    def references_aboard(self, movement_id: int) -> list[str]:
        query = (
            select(t.cases.c.reference)
            .join(t.manifest_entries, _manifest.case_id == t.cases.c.id)
            .where(_manifest.movement_id == movement_id, _manifest.removed_at.is_(None))
            .order_by(t.cases.c.reference)
        )
        return list(self._uow.session.scalars(query))

    def in_flight_to(self, state: str) -> list[OnTheWay]:
        rows = self._uow.session.execute(
            select(t.cases.c.person_id, _movements.planned_departure, _movements.from_state)
            .join(t.manifest_entries, _manifest.case_id == t.cases.c.id)
            .join(t.movements, _movements.id == _manifest.movement_id)
            .where(
                _movements.to_state == state,
                _movements.state.in_(_NOT_ARRIVED),
                _manifest.removed_at.is_(None),
            )
        )
        return [OnTheWay(person_id, leaves, sender) for person_id, leaves, sender in rows]

    def departure_of(self, case_id: int) -> datetime | None:
        """When the latest movement that departed with the case aboard departed (None: none
        has)."""
        departed: datetime | None = self._uow.session.scalar(
            select(_movements.departed_at)
            .join(t.manifest_entries, _manifest.movement_id == _movements.id)
            .where(
                _manifest.case_id == case_id,
                _manifest.removed_at.is_(None),
                _movements.departed_at.is_not(None),
            )
            .order_by(_movements.departed_at.desc())
            .limit(1)
        )
        return departed
