"""The amendments repository on SQLAlchemy (services/ports/amendments.py)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from sqlalchemy import Select, select

from repatria.adapters.db import tables as t
from repatria.domain.amendments import AmendmentStatus, LawAmendment

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork


class SqlAmendments:
    """Amendments in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def approved(self) -> list[LawAmendment]:
        """Every approved amendment, in the order it takes effect (then of approval)."""
        return list(self._uow.session.scalars(_approved()))


@functools.cache
def _approved() -> Select[LawAmendment]:
    # Built on first use: the class is mapped only once the mappers start.
    c = t.law_amendments.c
    return (
        select(LawAmendment)
        .where(c.status == AmendmentStatus.APPROVED.value)
        .order_by(c.effective_on, c.decided_at, c.id)
    )
