"""Opening a case, as a use case on the in-memory unit of work (tests/fakes.py)."""

from __future__ import annotations

import inspect
import re

import pytest

from repatria.domain.cases import CaseState
from repatria.domain.errors import InvalidInput, NotFound, PermissionDenied
from repatria.services import cases
from repatria.services.commands import OpenCase
from repatria.services.ports.cases import Cases
from repatria.services.ports.people import People
from tests.fakes import FakeCases, FakePeople, FakeStore, FakeUnitOfWork
from tests.services.fake_cases import MX_OFFICER, US_OFFICER, US_REVIEWER, recorded_person


def _open(person_id: int, **changes: str) -> OpenCase:
    wanted = {"authority": "us-mx-1976", "from_state": "US", "to_state": "MX", **changes}
    return OpenCase.model_validate({"person_id": person_id, **wanted})


def test_an_opened_case_starts_as_a_draft_with_a_reference_and_its_event() -> None:
    store = FakeStore()
    person_id = recorded_person(store)
    with FakeUnitOfWork(store) as uow:
        case = cases.open_case(uow, US_OFFICER, _open(person_id))
        uow.commit()
    assert case.id is not None
    stored = store.cases[case.id]
    assert (stored.state, stored.person_id, stored.opened_by) == (CaseState.DRAFT, person_id, 1)
    assert re.fullmatch(rf"US-MX-{case.opened_at.year}-[0-9A-F]{{10}}", stored.reference)
    opened = [e for e in store.events if e.command == "OpenCase"]
    assert [(e.subject_id, e.actor, e.states) for e in opened] == [
        (str(case.id), "us-case-officer", ["MX", "US"])
    ]


def test_a_case_not_committed_leaves_nothing_behind() -> None:
    store = FakeStore()
    person_id = recorded_person(store)
    with FakeUnitOfWork(store) as uow:
        cases.open_case(uow, US_OFFICER, _open(person_id))
    assert store.cases == {}
    assert [e.command for e in store.events] == ["RecordPerson"]


def test_a_case_from_a_state_that_does_not_hold_the_person_is_refused_naming_the_field() -> None:
    store = FakeStore()
    person_id = recorded_person(store)
    with FakeUnitOfWork(store) as uow, pytest.raises(InvalidInput) as refused:
        cases.open_case(uow, US_OFFICER, _open(person_id, from_state="MX", to_state="US"))
    assert refused.value.field == "from_state"


def test_a_person_another_state_holds_and_has_no_case_about_is_not_found() -> None:
    store = FakeStore()
    person_id = recorded_person(store)
    with FakeUnitOfWork(store) as uow, pytest.raises(NotFound):
        cases.open_case(uow, MX_OFFICER, _open(person_id))


def test_only_a_case_officer_opens_a_case() -> None:
    store = FakeStore()
    person_id = recorded_person(store)
    with FakeUnitOfWork(store) as uow, pytest.raises(PermissionDenied):
        cases.open_case(uow, US_REVIEWER, _open(person_id))
    assert store.cases == {}


def test_the_fake_says_which_repository_it_does_not_keep() -> None:
    with FakeUnitOfWork() as uow, pytest.raises(NotImplementedError, match="no movements"):
        uow.movements.in_flight_to("MX")


@pytest.mark.parametrize(("port", "fake"), [(Cases, FakeCases), (People, FakePeople)])
def test_the_fake_keeps_every_method_of_the_port_with_its_parameters(
    port: type, fake: type
) -> None:
    declared = {
        name: inspect.signature(member)
        for name, member in vars(port).items()
        if callable(member) and not name.startswith("_")
    }
    kept = {name: inspect.signature(getattr(fake, name, None) or _absent) for name in declared}
    assert {name: list(s.parameters) for name, s in kept.items()} == {
        name: list(s.parameters) for name, s in declared.items()
    }


def _absent() -> None:
    """Stands in for a method the fake lacks (no parameters, so the comparison names it)."""
