"""Notices served on the person, as use cases on the in-memory unit of work (tests/fakes.py):
the engine reads the latest notice, and only the sending state records one."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from repatria.domain.errors import PermissionDenied
from repatria.services import case_documents, cases, notices
from repatria.services.commands import OpenCase
from repatria.services.notices import ServeNotice
from tests.entrypoints.api.removals import ORDERED
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.services.fake_cases import MX_OFFICER, US_OFFICER, recorded_person, today


def _removal_to_mexico(store: FakeStore) -> int:
    person_id = recorded_person(store, ORDERED)
    with FakeUnitOfWork(store) as uow:
        command = OpenCase(
            person_id=person_id, authority="us-removal", from_state="US", to_state="MX"
        )
        case = cases.open_case(uow, US_OFFICER, command)
        uow.commit()
    assert case.id is not None
    return case.id


def _notice(**changes: object) -> ServeNotice:
    served = datetime.combine(today(), time(9), UTC)
    given = {"served_at": served, "language_understood": True, "explains_how_to_contest": True}
    return ServeNotice.model_validate({**given, **changes})


def test_a_served_notice_is_what_the_engine_reads_of_the_person_being_told() -> None:
    store = FakeStore()
    case_id = _removal_to_mexico(store)
    with FakeUnitOfWork(store) as uow:
        notices.add_notice(uow, US_OFFICER, case_id, _notice(country="MX"))
        uow.commit()
    with FakeUnitOfWork(store) as uow:
        case = uow.cases.get(case_id)
        assert case is not None
        document = case_documents.build_document(case_documents.load_records(uow, case), today())
    assert document["notice"]["country"] == "MX"
    assert document["notice"]["language_understood"] is True
    assert document["fear_claim"] == {"raised": False}  # told, and no fear voiced
    assert store.events[-1].command == "NoticeRecorded"


def test_only_the_sending_state_records_a_notice() -> None:
    store = FakeStore()
    case_id = _removal_to_mexico(store)
    with FakeUnitOfWork(store) as uow, pytest.raises(PermissionDenied):
        notices.add_notice(uow, MX_OFFICER, case_id, _notice())
    assert store.notices == {}
