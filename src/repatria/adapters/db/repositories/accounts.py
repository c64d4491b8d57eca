"""The accounts repository on SQLAlchemy (services/ports/accounts.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork


class SqlAccounts:
    """Accounts in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
