"""What the cases repository reads back of a case's records keeps one contract on SQLite,
PostgreSQL and in memory (tests/fakes.py): the engine's records, the timeline and who
recorded a step (four eyes reads preparers from it), each as committed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.services import case_facts, cases, clock, people, transitions
from repatria.services.commands import OpenCase, RecordPerson
from repatria.services.transitions import Step
from repatria.services.unit_of_work import UnitOfWork
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.treaty_case import FACTS, MEXICAN, us_case_officer

Units = Callable[[], UnitOfWork]
pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql", "memory"], indirect=True)


@pytest.fixture
def database_content() -> str:
    """The demo data: its users act (an event's actor is a user)."""
    return "demo"


@pytest.fixture
def acting(backend: str, request: pytest.FixtureRequest) -> tuple[Units, Principal]:
    """Units of work on the test's database or in memory, and the US case officer."""
    if backend == "memory":
        store = FakeStore()
        officer = Principal(7, "us-case-officer", Role.CASE_OFFICER, 1, "US")
        return (lambda: FakeUnitOfWork(store)), officer
    container: Container = request.getfixturevalue("container")
    return (lambda: container.uow()), us_case_officer(container)


def _submitted(units: Units, officer: Principal) -> int:
    with units() as uow:
        person = people.record(uow, officer, RecordPerson.model_validate(MEXICAN))
        assert person.id is not None
        command = OpenCase(
            person_id=person.id, authority="us-mx-1976", from_state="US", to_state="MX"
        )
        case = cases.open_case(uow, officer, command)
        assert case.id is not None
        facts = case_facts.AssertCaseFacts.model_validate(FACTS)
        case_facts.assert_facts(uow, officer, case.id, facts)
        transitions.take(uow, officer, case.id, Step("submit", clock.today()))
        uow.commit()
    return case.id


def test_the_timeline_holds_the_committed_steps_in_order_with_who_took_them(
    acting: tuple[Units, Principal],
) -> None:
    units, officer = acting
    case_id = _submitted(units, officer)
    with units() as uow:
        transitions.take(uow, officer, case_id, Step("screen", clock.today()))  # not committed
    with units() as uow:
        timeline = uow.cases.timeline(case_id)
        assert [e.command for e in timeline] == ["OpenCase", "CaseFactsAsserted", "CaseSubmitted"]
        assert [e.seq for e in timeline] == sorted(e.seq for e in timeline)
        assert {e.actor for e in timeline} == {"us-case-officer"}
        assert uow.cases.preparers(case_id, "CaseSubmitted") == {officer.user_id}
        assert uow.cases.preparers(case_id, "CaseScreened") == set()


def test_the_engine_reads_the_person_with_their_details_and_the_cases_own_records(
    acting: tuple[Units, Principal],
) -> None:
    units, officer = acting
    case_id = _submitted(units, officer)
    with units() as uow:
        case = uow.cases.get(case_id)
        assert case is not None
        records = uow.cases.engine_records(case)
        assert records is not None
        assert records.person.id == case.person_id
        assert [c.country for c in records.person.citizenships] == ["MX"]
        assert [s.length_days for s in records.person.sentences] == [3650]
        assert (records.decisions, records.consents, records.notices) == ([], [], [])
        assert records.fear_claims == []
