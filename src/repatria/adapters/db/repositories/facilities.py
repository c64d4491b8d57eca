"""The facilities repository on SQLAlchemy (services/ports/facilities.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork


class SqlFacilities:
    """Facilities in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
