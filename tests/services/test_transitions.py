"""Taking lifecycle steps, as use cases on the in-memory unit of work (tests/fakes.py): the
law, the role and four eyes decide, and the step is recorded with its assessment."""

from __future__ import annotations

import pytest

from repatria.domain.cases import CaseState
from repatria.domain.errors import Conflict, NotEligible, PermissionDenied
from repatria.services import case_facts, transitions
from repatria.services.case_facts import AssertCaseFacts
from repatria.services.transitions import Step
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.services.fake_cases import (
    MX_REVIEWER,
    OTHER_US_REVIEWER,
    US_OFFICER,
    US_REVIEWER,
    draft_case,
    take,
    today,
)


def test_submitting_a_draft_sends_it_to_screening_recorded_with_its_assessment() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    with FakeUnitOfWork(store) as uow:
        _, assessment = transitions.take(uow, US_OFFICER, case_id, Step("submit", today()))
        uow.commit()
    assert store.cases[case_id].state is CaseState.SCREENING
    assert assessment.id in store.assessments and assessment.case_id == case_id
    event = store.events[-1]
    assert (event.command, event.actor) == ("CaseSubmitted", "us-case-officer")
    assert event.after is not None and event.after["state"] == "screening"
    assert event.legal_basis.startswith(f"assessment {assessment.id} (us-mx-1976")


def test_a_step_the_law_refuses_leaves_the_case_where_it_was_and_names_the_failing_check() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    take(store, US_OFFICER, case_id, "submit")
    with FakeUnitOfWork(store) as uow:
        no_dual_criminality = AssertCaseFacts(sentence_dual_criminality=False)
        case_facts.assert_facts(uow, US_OFFICER, case_id, no_dual_criminality)
        uow.commit()
    with FakeUnitOfWork(store) as uow, pytest.raises(NotEligible) as refused:
        transitions.take(uow, US_OFFICER, case_id, Step("screen", today()))
    assert "DUAL_CRIMINALITY" in {check["ground"] for check in refused.value.checks}
    assert store.cases[case_id].state is CaseState.SCREENING
    assert store.events[-1].command == "CaseFactsAsserted"


def _in_sending_review(store: FakeStore) -> int:
    case_id = draft_case(store)
    take(store, US_OFFICER, case_id, "submit")
    take(store, US_OFFICER, case_id, "screen")
    return case_id


def test_the_reviewer_who_prepared_the_decision_may_not_approve_it_another_may() -> None:
    store = FakeStore()
    case_id = _in_sending_review(store)
    take(store, US_REVIEWER, case_id, "prepare_sending", "rehabilitation prospects good")
    with FakeUnitOfWork(store) as uow, pytest.raises(PermissionDenied, match="separation"):
        transitions.take(uow, US_REVIEWER, case_id, Step("approve_sending", today()))
    assert store.cases[case_id].state is CaseState.SENDING_REVIEW
    assert store.decisions == {}
    take(store, OTHER_US_REVIEWER, case_id, "approve_sending")
    assert store.cases[case_id].state is CaseState.RECEIVING_REVIEW
    [decision] = store.decisions.values()
    assert (decision.state, decision.kind.value, decision.decided_by) == ("US", "approve", 3)


def test_a_reviewer_of_the_other_state_may_not_take_the_sending_states_decision() -> None:
    store = FakeStore()
    case_id = _in_sending_review(store)
    with FakeUnitOfWork(store) as uow, pytest.raises(PermissionDenied):
        transitions.take(uow, MX_REVIEWER, case_id, Step("approve_sending", today()))


def test_two_officers_taking_the_same_step_at_once_one_of_them_gets_a_conflict() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    first, second = FakeUnitOfWork(store), FakeUnitOfWork(store)
    with first, second:
        second.cases.get(case_id)  # read before the first commits
        transitions.take(first, US_OFFICER, case_id, Step("submit", today()))
        first.commit()
        with pytest.raises(Conflict):
            transitions.take(second, US_OFFICER, case_id, Step("submit", today()))
    assert store.cases[case_id].state is CaseState.SCREENING
    assert [e.command for e in store.events].count("CaseSubmitted") == 1
