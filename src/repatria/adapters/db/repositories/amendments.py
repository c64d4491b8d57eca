"""The amendments repository on SQLAlchemy (services/ports/amendments.py)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from sqlalchemy import Select, or_, select

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

    def get(self, amendment_id: int) -> LawAmendment | None:
        """The amendment, or None; a change to it is stored with `update`."""
        return self._uow.session.get(LawAmendment, amendment_id)

    def add(self, amendment: LawAmendment) -> None:
        """Store a proposed amendment; it has its id afterwards."""
        self._uow.session.add(amendment)
        self._uow.session.flush()

    def update(self, amendment: LawAmendment) -> None:
        """Store the changes made to the amendment now (a decision, its announcement)."""
        self._uow.session.flush()

    def listed(self, state: str | None = None) -> list[LawAmendment]:
        """Every amendment, newest proposal first; with a state, only those approved (law for
        everyone) and that state's proposals and rejections."""
        c = t.law_amendments.c
        query = select(LawAmendment).order_by(c.proposed_at.desc(), c.id.desc())
        if state is not None:
            query = query.where(or_(c.status == AmendmentStatus.APPROVED.value, c.state == state))
        return list(self._uow.session.scalars(query))


@functools.cache
def _approved() -> Select[LawAmendment]:
    # Built on first use: the class is mapped only once the mappers start.
    c = t.law_amendments.c
    return (
        select(LawAmendment)
        .where(c.status == AmendmentStatus.APPROVED.value)
        .order_by(c.effective_on, c.decided_at, c.id)
    )
