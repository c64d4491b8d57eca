"""Checks that the governments concerned have approved the transfer by the date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from repatria.law.checks.base import check
from repatria.law.checks.vocabulary import AS_OF, FROM, TO
from repatria.law.expr import Decide, Field, decide, failing, passing, text, unknown
from repatria.law.schema import Authority

SENDING, RECEIVING = Field("approvals.sending_state"), Field("approvals.receiving_state")
US_STATE = Field("approvals.us_state")


def _sides(wanted: str) -> Any:
    """Words for the approvals that are late ('fail'), missing ('unknown') or given ('pass')."""

    def words(
        approvals: object,
        sending: date | None,
        receiving: date | None,
        from_state: str,
        to_state: str,
        as_of: date,
    ) -> str:
        if approvals is None:
            return f"no approvals on file from {from_state} or {to_state}"
        found = []
        for label, on in (
            (f"the sending state ({from_state})", sending),
            (f"the receiving state ({to_state})", receiving),
        ):
            if on is None:
                found.append(("unknown", f"no approval by {label} on file"))
            elif on > as_of:
                found.append(("fail", f"{label} approved on {on}, after {as_of}"))
            else:
                found.append(("pass", f"{label} approved on {on}"))
        return "; ".join(reason for outcome, reason in found if outcome == wanted)

    return text(words, Field("approvals"), SENDING, RECEIVING, FROM, TO, AS_OF)


@check("both-states-approve")
def both_states_approve(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Both the sending and the receiving state have agreed to the transfer."""
    return decide(
        ((SENDING > AS_OF) | (RECEIVING > AS_OF), failing("{late}")),
        (SENDING.is_null() | RECEIVING.is_null(), unknown("{missing}")),
        otherwise=passing("{given}"),
        late=_sides("fail"),
        missing=_sides("unknown"),
        given=_sides("pass"),
    )


@check("sentencing-us-state-approves")
def sentencing_us_state_approves(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A prisoner of a US state also needs that state's approval."""
    state_prisoner = Field("sentence.state_prisoner")
    return decide(
        (
            state_prisoner.is_null(),
            unknown("not known whether the person is a state (rather than federal) prisoner"),
        ),
        (state_prisoner.eq(False), passing("a federal prisoner: no US state approval needed")),
        (US_STATE.is_null(), unknown("no approval by the sentencing US state on file")),
        (
            US_STATE > AS_OF,
            failing("the sentencing US state approved on {approved}, after {as_of}"),
        ),
        otherwise=passing("the sentencing US state approved on {approved}"),
        approved=US_STATE,
    )


@check("receiving-state-approves")
def receiving_state_approves(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A condition only the receiving state can judge, read from its approval: given by
    as_of, it is that state's finding; later, it was not yet made; absent, unknown."""
    return decide(
        (RECEIVING.is_null(), unknown("no approval by the receiving state ({to}) on file")),
        (RECEIVING > AS_OF, failing("{to} approved on {approved}, after {as_of}")),
        otherwise=passing("{to} approved on {approved}, finding the condition met"),
        approved=RECEIVING,
    )
