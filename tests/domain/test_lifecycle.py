"""The lifecycles of shared/DESIGN.md §5, written out arrow by arrow: every drawn transition
exists, and every (command, state) pair that is not drawn is refused."""

from __future__ import annotations

import itertools

import pytest

from repatria.domain.cases import CaseState
from repatria.domain.lifecycle import TransitionNotAllowed, commands, find

# The main line of a treaty transfer, then its side exits (DESIGN.md §5).
BEFORE_CONSENT = [
    "draft",
    "screening",
    "sending_review",
    "receiving_review",
    "consent_verification",
]
TREATY_ARROWS = {
    ("submit", "draft"): "screening",
    ("screen", "screening"): "sending_review",
    ("prepare_sending", "sending_review"): "sending_review",
    ("approve_sending", "sending_review"): "receiving_review",
    ("prepare_receiving", "receiving_review"): "receiving_review",
    ("approve_receiving", "receiving_review"): "consent_verification",
    ("verify_consent", "consent_verification"): "approved",
    ("schedule", "approved"): "scheduled",
    ("depart", "scheduled"): "in_transit",
    ("confirm_arrival", "in_transit"): "completed",
    ("mark_ineligible", "screening"): "ineligible",
    ("reopen", "ineligible"): "screening",
    ("deny", "sending_review"): "denied",
    ("deny", "receiving_review"): "denied",
    **{("withdraw", state): "withdrawn" for state in BEFORE_CONSENT},
    **{("cancel", state): "cancelled" for state in [*BEFORE_CONSENT, "approved", "scheduled"]},
}
REMOVAL_LINE = ["order_final", "destination_designated", "notice_served", "waiting_period"]
REMOVAL_ARROWS = {
    ("designate_destination", "order_final"): "destination_designated",
    ("serve_notice", "destination_designated"): "notice_served",
    ("start_waiting_period", "notice_served"): "waiting_period",
    ("clear", "waiting_period"): "cleared",
    ("schedule", "cleared"): "scheduled",
    ("depart", "scheduled"): "in_transit",
    ("confirm_arrival", "in_transit"): "delivered",
    **{("block", state): "blocked" for state in [*REMOVAL_LINE, "cleared", "scheduled"]},
    ("resume", "blocked"): "order_final",
    **{
        ("cancel", state): "cancelled"
        for state in [*REMOVAL_LINE, "cleared", "scheduled", "blocked"]
    },
}
CASES = [("us-mx-1976", TREATY_ARROWS), ("us-removal", REMOVAL_ARROWS)]
ALL = [
    (authority, command, state, arrows.get((command, state.value)))
    for authority, arrows in CASES
    for command, state in itertools.product(commands(authority), CaseState)
]


@pytest.mark.parametrize(
    ("authority", "command", "state", "target"),
    ALL,
    ids=[f"{a}:{c}:{s.value}" for a, c, s, _ in ALL],
)
def test_only_the_drawn_transitions_exist(
    authority: str, command: str, state: CaseState, target: str | None
) -> None:
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            find(authority, command, state)
    else:
        assert find(authority, command, state).target.value == target


def test_every_command_of_each_lifecycle_is_drawn() -> None:
    for authority, arrows in CASES:
        assert set(commands(authority)) == {command for command, _ in arrows}


def test_nothing_leaves_a_final_state() -> None:
    finals = ["completed", "delivered", "denied", "withdrawn", "cancelled"]
    for (authority, _), state in itertools.product(CASES, finals):
        for command in commands(authority):
            with pytest.raises(TransitionNotAllowed):
                find(authority, command, CaseState(state))


def test_a_withdrawal_after_verified_consent_cites_the_statute() -> None:
    for state in ("approved", "scheduled"):
        with pytest.raises(TransitionNotAllowed) as refused:
            find("us-mx-1976", "withdraw", CaseState(state))
        assert "4107(b)(4)" in refused.value.citation
