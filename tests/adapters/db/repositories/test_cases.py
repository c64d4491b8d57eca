"""The cases and people repositories keep one contract, on SQLite, on PostgreSQL and in memory
(tests/fakes.py): what the use cases store is what they find, by id, by reference, by who sees
it, and a page of it."""

from __future__ import annotations

import pytest

from repatria.domain.accounts import Principal, Role
from repatria.domain.cases import CaseState
from repatria.services import cases, people
from repatria.services.commands import OpenCase, RecordPerson
from repatria.services.ports.cases import CaseFilter
from repatria.services.ports.people import PeopleFilter
from tests.adapters.db.repositories.conftest import Units
from tests.treaty_case import MEXICAN

# Each test on each database and in memory (the test names its databases itself: conftest.py).
pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql", "memory"], indirect=True)
US_OFFICER = Principal(None, "us-officer", Role.CASE_OFFICER, None, "US")


def _opened(units: Units, family_name: str, to_state: str = "MX") -> tuple[int, int, str]:
    """A person recorded and a case opened for them to `to_state`: (person, case, reference)."""
    with units() as uow:
        person = people.record(
            uow, US_OFFICER, RecordPerson.model_validate({**MEXICAN, "family_name": family_name})
        )
        assert person.id is not None
        command = OpenCase(
            person_id=person.id, authority="us-mx-1976", from_state="US", to_state=to_state
        )
        case = cases.open_case(uow, US_OFFICER, command)
        uow.commit()
    assert case.id is not None
    return person.id, case.id, case.reference


def test_a_committed_case_is_found_by_id_and_by_reference(units: Units) -> None:
    _, case_id, reference = _opened(units, "Ortega")
    with units() as uow:
        found = uow.cases.get(case_id)
        assert found is not None and found.state is CaseState.DRAFT
        assert uow.cases.by_reference(reference) is found
        assert uow.cases.reference_taken(reference)
        assert uow.cases.by_reference(reference + "0") is None
        assert uow.cases.get(case_id + 1000) is None


def test_a_page_of_cases_is_newest_first_filtered_and_counted(units: Units) -> None:
    ids = [_opened(units, name, to_state)[1] for name, to_state in (("A", "MX"), ("B", "SV"))]
    with units() as uow:
        every, total = uow.cases.page(CaseFilter(involving="US"), limit=1, offset=0)
        assert ([c.id for c in every], total) == ([ids[1]], 2)
        to_mexico, total = uow.cases.page(CaseFilter(counterpart="mx"), limit=10, offset=0)
        assert ([c.id for c in to_mexico], total) == ([ids[0]], 1)
        assert uow.cases.page(CaseFilter(involving="FR"), limit=10, offset=0) == ([], 0)


def test_the_open_cases_an_amendment_is_weighed_against_are_those_of_the_readers_state(
    units: Units,
) -> None:
    ids = [_opened(units, name, to_state)[1] for name, to_state in (("A", "MX"), ("B", "SV"))]
    with units() as uow:
        assert uow.cases.open_with_documents({CaseState.COMPLETED}).case_ids == ids
        salvadoran = uow.cases.open_with_documents({CaseState.COMPLETED}, involving="SV")
        assert (salvadoran.case_ids, salvadoran.receivers) == ([ids[1]], ["SV"])
        assert uow.cases.open_with_documents({CaseState.COMPLETED}, involving="US").case_ids == ids
        assert uow.cases.open_with_documents({CaseState.COMPLETED}, involving="FR").case_ids == []


def test_a_person_is_seen_by_their_holder_and_by_a_state_a_case_of_theirs_involves(
    units: Units,
) -> None:
    person_id, _, _ = _opened(units, "Ortega", to_state="MX")
    with units() as uow:
        assert uow.people.get(person_id, seen_by="US") is not None
        assert uow.people.get(person_id, seen_by="MX") is not None
        assert uow.people.get(person_id, seen_by="SV") is None
        found, total = uow.people.page(PeopleFilter(seen_by="SV"), limit=10, offset=0)
        assert (found, total) == ([], 0)
        named, total = uow.people.page(PeopleFilter(name="rteg"), limit=10, offset=0)
        assert ([p.id for p in named], total) == ([person_id], 1)
