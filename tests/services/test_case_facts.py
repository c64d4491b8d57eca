"""Recording a case's facts, as a use case on the in-memory unit of work (tests/fakes.py)."""

from __future__ import annotations

import pytest

from repatria.domain.errors import Conflict, PermissionDenied
from repatria.services import case_documents, case_facts
from repatria.services.case_facts import AssertCaseFacts
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.services.fake_cases import MX_OFFICER, US_OFFICER, draft_case, today


def test_asserted_facts_reach_the_engines_document_and_are_recorded_before_and_after() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    with FakeUnitOfWork(store) as uow:
        version = store.cases[case_id].version
        facts = AssertCaseFacts(sentence_dual_criminality=False, person_years_in_sending_state=9)
        case = case_facts.assert_facts(uow, US_OFFICER, case_id, facts)
        uow.commit()
    assert store.cases[case_id].version == version + 1
    with FakeUnitOfWork(store) as uow:
        records = case_documents.load_records(uow, case)
        document = case_documents.build_document(records, today())
    assert document["sentence"]["dual_criminality"] is False
    assert document["person"]["years_in_sending_state"] == 9
    assert document["person"]["competent"] is True  # asserted before, left as it was
    event = store.events[-1]
    assert event.command == "CaseFactsAsserted"
    assert event.before is not None and event.after is not None
    assert event.before["facts"]["sentence.dual_criminality"] is True
    assert event.after["facts"]["sentence.dual_criminality"] is False


def test_only_the_sending_states_case_officer_records_facts() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    with FakeUnitOfWork(store) as uow, pytest.raises(PermissionDenied):
        case_facts.assert_facts(
            uow, MX_OFFICER, case_id, AssertCaseFacts(sentence_dual_criminality=False)
        )
    assert store.cases[case_id].facts["sentence.dual_criminality"] is True


def test_facts_asserted_on_a_case_someone_changed_meanwhile_are_a_conflict() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    first, second = FakeUnitOfWork(store), FakeUnitOfWork(store)
    with first, second:
        first.cases.get(case_id)
        second.cases.get(case_id)
        case_facts.assert_facts(first, US_OFFICER, case_id, AssertCaseFacts(person_competent=False))
        first.commit()
        with pytest.raises(Conflict):
            case_facts.assert_facts(
                second, US_OFFICER, case_id, AssertCaseFacts(sentence_dual_criminality=False)
            )
    stored = store.cases[case_id].facts
    assert (stored["person.competent"], stored["sentence.dual_criminality"]) == (False, True)
