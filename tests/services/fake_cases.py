"""A US→MX treaty case in a FakeUnitOfWork, and the people who act on it, for the use-case
tests of cases without a database (tests/fakes.py)."""

from __future__ import annotations

from datetime import date

from repatria.domain.accounts import Principal, Role
from repatria.services import case_facts, cases, clock, people, transitions
from repatria.services.commands import OpenCase, RecordPerson
from repatria.services.transitions import Step
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.treaty_case import FACTS, MEXICAN

US_OFFICER = Principal(1, "us-case-officer", Role.CASE_OFFICER, 1, "US")
US_REVIEWER = Principal(2, "us-reviewer", Role.REVIEWER, 1, "US")
OTHER_US_REVIEWER = Principal(3, "us-reviewer-2", Role.REVIEWER, 1, "US")
MX_REVIEWER = Principal(4, "mx-reviewer", Role.REVIEWER, 2, "MX")
US_VERIFIER = Principal(5, "us-verifier", Role.VERIFIER, 1, "US")
MX_OFFICER = Principal(6, "mx-case-officer", Role.CASE_OFFICER, 2, "MX")


def recorded_person(store: FakeStore, person: dict[str, object] = MEXICAN) -> int:
    """A person held by the US, recorded and committed; their id."""
    with FakeUnitOfWork(store) as uow:
        found = people.record(uow, US_OFFICER, RecordPerson.model_validate(person))
        uow.commit()
    assert found.id is not None
    return found.id


def draft_case(store: FakeStore) -> int:
    """A US→MX treaty case opened for a recorded person, its facts asserted; its id."""
    person_id = recorded_person(store)
    with FakeUnitOfWork(store) as uow:
        opened = cases.open_case(
            uow,
            US_OFFICER,
            OpenCase(person_id=person_id, authority="us-mx-1976", from_state="US", to_state="MX"),
        )
        assert opened.id is not None
        case_facts.assert_facts(
            uow, US_OFFICER, opened.id, case_facts.AssertCaseFacts.model_validate(FACTS)
        )
        uow.commit()
    return opened.id


def take(store: FakeStore, actor: Principal, case_id: int, command: str, reason: str = "") -> None:
    """Take one step in its own unit of work and commit it."""
    with FakeUnitOfWork(store) as uow:
        transitions.take(uow, actor, case_id, Step(command, today(), reason))
        uow.commit()


def today() -> date:
    """The pinned day of the tests."""
    return clock.today()
