"""Who may take which step, four eyes, and which checks block a step: decided without storage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from repatria.domain.accounts import Principal, Role
from repatria.domain.cases import Case, CaseState
from repatria.domain.errors import InvalidInput, PermissionDenied
from repatria.domain.lifecycle import find
from repatria.domain.transitions import (
    acting_states,
    blocking_checks,
    check_actor,
    failing_checks,
    may_take,
    preparation_of,
    prepared_it,
)

TREATY, REMOVAL = "us-mx-1976", "us-removal"
NOW = datetime(2026, 12, 7, tzinfo=UTC)


def case(state: CaseState, authority: str = TREATY) -> Case:
    return Case(
        person_id=1,
        authority=authority,
        from_state="US",
        to_state="MX",
        state=state,
        opened_by=1,
        opened_at=NOW,
        updated_at=NOW,
        id=7,
    )


def user(role: Role, state: str = "US", user_id: int = 10) -> Principal:
    return Principal(user_id, f"{state.lower()}-{role.value}", role, 1, state)


def check(ground: str, outcome: str) -> dict[str, Any]:
    return {"ground": ground, "outcome": outcome, "reason": "", "citation": ""}


# Who may take which step: role and the state acted for.


def test_a_case_officer_of_the_sending_state_may_submit_a_draft() -> None:
    assert may_take(user(Role.CASE_OFFICER), case(CaseState.DRAFT), "submit")


def test_a_case_officer_of_the_receiving_state_may_not_submit() -> None:
    assert not may_take(user(Role.CASE_OFFICER, "MX"), case(CaseState.DRAFT), "submit")


def test_a_reviewer_may_not_take_a_case_officers_step() -> None:
    assert not may_take(user(Role.REVIEWER), case(CaseState.DRAFT), "submit")


def test_a_step_not_drawn_from_the_state_may_not_be_taken() -> None:
    assert not may_take(user(Role.CASE_OFFICER), case(CaseState.SCREENING), "submit")


def test_the_receiving_state_approves_its_own_review() -> None:
    receiving_review = case(CaseState.RECEIVING_REVIEW)
    assert may_take(user(Role.REVIEWER, "MX"), receiving_review, "approve_receiving")
    assert not may_take(user(Role.REVIEWER, "US"), receiving_review, "approve_receiving")


def test_only_the_state_under_review_may_deny() -> None:
    assert acting_states(case(CaseState.SENDING_REVIEW), _deny(CaseState.SENDING_REVIEW)) == {"US"}
    assert acting_states(case(CaseState.RECEIVING_REVIEW), _deny(CaseState.RECEIVING_REVIEW)) == {
        "MX"
    }
    assert not may_take(user(Role.REVIEWER, "MX"), case(CaseState.SENDING_REVIEW), "deny")


def test_either_state_may_cancel_a_treaty_case() -> None:
    cancel = find(TREATY, "cancel", CaseState.APPROVED)
    assert acting_states(case(CaseState.APPROVED), cancel) == {"US", "MX"}
    assert may_take(user(Role.REVIEWER, "MX"), case(CaseState.APPROVED), "cancel")


def test_only_the_sending_state_blocks_a_removal() -> None:
    order_final = case(CaseState.ORDER_FINAL, REMOVAL)
    assert may_take(user(Role.CASE_OFFICER, "US"), order_final, "block")
    assert not may_take(user(Role.CASE_OFFICER, "MX"), order_final, "block")


def test_check_actor_names_the_role_a_step_needs() -> None:
    submit = find(TREATY, "submit", CaseState.DRAFT)
    with pytest.raises(PermissionDenied, match="submit needs the role case_officer"):
        check_actor(user(Role.REVIEWER), case(CaseState.DRAFT), submit, reason="")


def test_check_actor_names_the_state_that_takes_a_step() -> None:
    submit = find(TREATY, "submit", CaseState.DRAFT)
    with pytest.raises(PermissionDenied, match="submit is taken by US, not MX"):
        check_actor(user(Role.CASE_OFFICER, "MX"), case(CaseState.DRAFT), submit, reason="")


def test_check_actor_returns_the_state_acted_for() -> None:
    approve = find(TREATY, "approve_receiving", CaseState.RECEIVING_REVIEW)
    mexican = user(Role.REVIEWER, "MX")
    assert check_actor(mexican, case(CaseState.RECEIVING_REVIEW), approve, reason="") == "MX"


# Four eyes.


def test_a_preparer_may_not_approve_the_decision_they_prepared() -> None:
    approve = find(TREATY, "approve_sending", CaseState.SENDING_REVIEW)
    preparer = user(Role.REVIEWER, user_id=10)
    with pytest.raises(PermissionDenied, match="separation of duties"):
        check_actor(preparer, case(CaseState.SENDING_REVIEW), approve, reason="", preparers={10})


def test_a_preparer_may_not_deny_the_decision_they_prepared() -> None:
    deny = _deny(CaseState.SENDING_REVIEW)
    preparer = user(Role.REVIEWER, user_id=10)
    with pytest.raises(PermissionDenied, match="must deny"):
        check_actor(preparer, case(CaseState.SENDING_REVIEW), deny, reason="no", preparers={10})


def test_another_reviewer_may_approve_a_prepared_decision() -> None:
    approve = find(TREATY, "approve_sending", CaseState.SENDING_REVIEW)
    other = user(Role.REVIEWER, user_id=11)
    assert (
        check_actor(other, case(CaseState.SENDING_REVIEW), approve, reason="", preparers={10})
        == "US"
    )


def test_four_eyes_concerns_only_decisions_someone_prepares() -> None:
    assert prepared_it(user(Role.REVIEWER, user_id=10), "approve_receiving", {10})
    assert not prepared_it(user(Role.CASE_OFFICER, user_id=10), "submit", {10})


def test_a_decision_is_prepared_by_the_review_it_ends() -> None:
    assert preparation_of("approve_sending", CaseState.SENDING_REVIEW) == "prepare_sending"
    assert preparation_of("approve_receiving", CaseState.RECEIVING_REVIEW) == "prepare_receiving"
    assert preparation_of("deny", CaseState.SENDING_REVIEW) == "prepare_sending"
    assert preparation_of("deny", CaseState.RECEIVING_REVIEW) == "prepare_receiving"


# Reasons.


def test_a_denial_without_a_reason_is_refused() -> None:
    with pytest.raises(InvalidInput, match="deny requires a reason"):
        check_actor(
            user(Role.REVIEWER),
            case(CaseState.SENDING_REVIEW),
            _deny(CaseState.SENDING_REVIEW),
            reason="  ",
        )


# Which checks block a step.


def test_a_failing_check_blocks_a_gated_step() -> None:
    schedule = find(TREATY, "schedule", CaseState.APPROVED)
    verdict = {"checks": [check("AGE", "pass"), check("SENTENCE", "fail")]}
    assert blocking_checks(schedule, verdict) == [check("SENTENCE", "fail")]


def test_an_ungated_step_is_never_blocked() -> None:
    deny = _deny(CaseState.SENDING_REVIEW)
    assert blocking_checks(deny, {"checks": [check("SENTENCE", "fail")]}) == []


def test_a_ground_pending_at_the_step_does_not_block_it() -> None:
    screen = find(TREATY, "screen", CaseState.SCREENING)
    verdict = {"checks": [check("CONSENT", "unknown"), check("APPROVAL", "fail")]}
    assert blocking_checks(screen, verdict) == []


def test_an_awaited_ground_may_be_unknown_but_not_failing() -> None:
    designate = find(REMOVAL, "designate_destination", CaseState.ORDER_FINAL)
    unknown, failing = check("HOLD", "unknown"), check("PROTECTION_ORDER", "fail")
    assert blocking_checks(designate, {"checks": [unknown, failing]}) == [failing]


def test_an_unknown_check_blocks_a_step_that_does_not_await_it() -> None:
    clear = find(REMOVAL, "clear", CaseState.WAITING_PERIOD)
    assert blocking_checks(clear, {"checks": [check("HOLD", "unknown")]}) == [
        check("HOLD", "unknown")
    ]


def test_a_recheck_in_place_allows_no_check_that_does_not_pass() -> None:
    verdict = {"checks": [check("AGE", "pass"), check("CONSENT", "unknown")]}
    assert failing_checks(verdict) == [check("CONSENT", "unknown")]


def _deny(state: CaseState) -> Any:
    return find(TREATY, "deny", state)
