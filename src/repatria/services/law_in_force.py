"""The law this installation applies: the shipped law, its local directory and the
amendments approved in the application, each from the day it takes effect; or the law as
the installation knew it on an earlier day (`as_known_on`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from repatria.domain.amendments import LawAmendment
from repatria.law.catalog import LawCatalog, load_catalog
from repatria.law.held import AmendmentText
from repatria.services import clock
from repatria.services.unit_of_work import UnitOfWork


def as_text(amendment: LawAmendment, *, proposal: bool = False) -> AmendmentText:
    """An amendment as the law reads it; a proposal (or one not yet in effect) has no
    `known_from`, so it is layered whatever the day asked."""
    assert amendment.id is not None
    return AmendmentText(
        number=amendment.id,
        folder=amendment.folder,
        target=amendment.target,
        text=amendment.text,
        label=f"amendment {amendment.id} ({amendment.file_name})",
        known_from=None if proposal else amendment.effective_on,
    )


def approved(uow: UnitOfWork) -> list[LawAmendment]:
    """Every approved amendment, in the order it takes effect (then of approval)."""
    return uow.amendments.approved()


def texts(uow: UnitOfWork, *, on: date | None = None) -> tuple[AmendmentText, ...]:
    """The approved amendments in effect on a day (today by default), as the law reads them."""
    day = on or clock.today()
    return tuple(
        as_text(found)
        for found in approved(uow)
        if found.effective_on is not None and found.effective_on <= day
    )


def catalog_of(
    uow: UnitOfWork,
    *,
    known_on: date | None = None,
    without: int | None = None,
    adding: Sequence[AmendmentText] = (),
) -> LawCatalog:
    """The law in force in this installation today; `known_on`: as it knew it that day;
    `without` an approved amendment, or `adding` one under review (for its impact)."""
    found = texts(uow, on=known_on)
    found = tuple(text for text in found if text.number != without) + tuple(adding)
    return load_catalog(found, known_on)
