"""Notices: the written notice of the destination served on the person (removal cases)."""

from __future__ import annotations

from datetime import datetime

from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.workflow import Notice
from repatria.services.cases import editable_case
from repatria.services.commands import Command, CountryCode
from repatria.services.unit_of_work import UnitOfWork, utcnow


class ServeNotice(Command):
    served_at: datetime
    language_understood: bool
    explains_how_to_contest: bool
    # The country the written notice names (a third-country removal must name it).
    country: CountryCode | None = None


def add_notice(uow: UnitOfWork, principal: Principal, case_id: int, command: ServeNotice) -> Case:
    """Record a written notice served on the person."""
    case = editable_case(uow, principal, case_id)
    assert case.id is not None
    case.updated_at = utcnow()
    uow.cases.add_notice(Notice(case_id=case.id, **command.model_dump()))
    uow.cases.update(case)
    uow.record(
        principal,
        "NoticeRecorded",
        "case",
        case.id,
        after=command.model_dump(mode="json"),
        states=list(case.states_involved),
    )
    return case
