"""Taking a lifecycle step, the decisions that need no database: who may take which step (role
and the state they act for), four eyes (whoever prepared a decision may not take it), and which
checks of a verdict block the step."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from repatria.domain.accounts import Principal
from repatria.domain.cases import Case, CaseState
from repatria.domain.errors import InvalidInput, PermissionDenied, Term
from repatria.domain.lifecycle import Side, Transition, available
from repatria.domain.workflow import DecisionKind
from repatria.i18n import N_

# The steps that record a state's decision, and what each decides.
DECISIONS = {
    "approve_sending": DecisionKind.APPROVE,
    "approve_receiving": DecisionKind.APPROVE,
    "deny": DecisionKind.DENY,
}
# Decisions someone may have prepared: no preparer may take them (four eyes). A denial is the
# decision of the state whose review is under way.
PREPARED_BY = {"approve_sending": "prepare_sending", "approve_receiving": "prepare_receiving"}
APPROVALS = frozenset({*PREPARED_BY, "deny"})


def preparation_of(command: str, state: CaseState) -> str:
    """The step that prepares the decision `command` takes from `state` (its preparers may not
    take it)."""
    if command == "deny":
        return "prepare_sending" if state is CaseState.SENDING_REVIEW else "prepare_receiving"
    return PREPARED_BY[command]


def acting_states(case: Case, transition: Transition) -> frozenset[str]:
    """The states whose users may take this step on this case."""
    if transition.command == "deny":
        # The state whose review is under way decides.
        under_review = case.from_state if case.state is CaseState.SENDING_REVIEW else case.to_state
        return frozenset({under_review})
    if transition.side is Side.SENDING:
        return frozenset({case.from_state})
    if transition.side is Side.RECEIVING:
        return frozenset({case.to_state})
    return frozenset(case.states_involved)


def may_take(principal: Principal, case: Case, command: str) -> bool:
    """Whether the principal's role and state may take the step from the case's state (four
    eyes and the law are decided when the step is taken)."""
    for transition in available(case.authority, case.state):
        if transition.command == command and principal.role in transition.roles:
            return principal.state in acting_states(case, transition)
    return False


def prepared_it(principal: Principal, command: str, preparers: Collection[int]) -> bool:
    """Whether the principal prepared the decision this command takes (four eyes forbids them
    to take it)."""
    return command in APPROVALS and principal.user_id in preparers


def check_actor(
    principal: Principal,
    case: Case,
    transition: Transition,
    *,
    reason: str,
    preparers: Collection[int] = (),
) -> str:
    """The state the principal acts for in taking this step; PermissionDenied for the wrong
    role, the wrong state or a preparer of the decision, InvalidInput for a missing reason.

    `preparers`: who, by the record, prepared the decision the step takes."""
    if principal.role not in transition.roles:
        roles = ", ".join(sorted(r.value for r in transition.roles))
        needs = (
            N_("%(step)s needs the role %(roles)s")
            if len(transition.roles) == 1
            else N_("%(step)s needs one of the roles %(roles)s")
        )
        raise PermissionDenied(needs, step=Term(transition.command), roles=Term(roles))
    wanted = acting_states(case, transition)
    if principal.state not in wanted:
        raise PermissionDenied(
            N_("%(step)s is taken by %(states)s, not %(state)s"),
            step=Term(transition.command),
            states=" or ".join(sorted(wanted)),
            state=principal.state,
        )
    if prepared_it(principal, transition.command, preparers):
        raise PermissionDenied(
            N_(
                "separation of duties: you prepared this decision, so another reviewer "
                "must %(step)s"
            ),
            step=Term(transition.command.replace("_", " ")),
        )
    if transition.needs_reason and not reason.strip():
        raise InvalidInput(
            "reason", N_("%(step)s requires a reason"), step=Term(transition.command)
        )
    return principal.state


def blocking_checks(transition: Transition, verdict: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks that stop this step: every non-passing check whose ground is not pending,
    except an unknown one whose ground the step awaits (its facts come at a later stage)."""
    if transition.gate is None:
        return []
    return [
        check
        for check in verdict["checks"]
        if check["outcome"] != "pass"
        and check["ground"] not in transition.gate
        and not (check["outcome"] == "unknown" and check["ground"] in transition.awaiting)
    ]


def failing_checks(verdict: dict[str, Any]) -> list[dict[str, Any]]:
    """Every check that does not pass (a re-check in place, as at a manifest lock, allows none)."""
    return [check for check in verdict["checks"] if check["outcome"] != "pass"]
