"""The strict lifecycles of treaty-transfer and removal cases: only the drawn transitions exist.

Each transition names who may take it (role, and whether they act for the sending or the
receiving state), whether it needs a reason, and how the legal engine gates it: `gate=None`
records the assessment without gating (a denial or an arrival can always be recorded);
otherwise every check must pass except those whose ground is listed as still *pending* at
that step (consent is not yet verified while the states are still reviewing, for example).
A step may also *await* grounds: their checks may still be unknown there (the facts belong to a
later stage) but never failing; a removal may not depart on an unknown, but a destination may
be designated before the person has been told of it and could voice a fear of it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from repatria.domain.accounts import Role
from repatria.domain.cases import REMOVAL_AUTHORITIES, CaseState
from repatria.domain.errors import DomainError

S = CaseState


class Side(enum.StrEnum):
    """For which of the case's two states the acting user must work."""

    SENDING = "sending"
    RECEIVING = "receiving"
    EITHER = "either"


class Track(enum.StrEnum):
    """The two lifecycles."""

    TREATY = "treaty"
    REMOVAL = "removal"


@dataclass(frozen=True)
class Transition:
    """One drawn arrow of a lifecycle."""

    command: str
    sources: frozenset[CaseState]
    target: CaseState
    roles: frozenset[Role]
    side: Side
    gate: frozenset[str] | None  # grounds still pending at this step; None: not gated
    needs_reason: bool = False
    summary: str = ""
    awaiting: frozenset[str] = frozenset()  # grounds that may still be unknown (never failing)


class TransitionNotAllowed(DomainError):
    """The case is not in a state from which the command exists."""

    def __init__(self, command: str, state: CaseState, citation: str = "") -> None:
        message = f"{command} is not possible from {state.value}"
        super().__init__(message + (f" ({citation})" if citation else ""))
        self.command = command
        self.state = state
        self.citation = citation


def _t(
    command: str,
    sources: set[CaseState],
    target: CaseState,
    roles: set[Role],
    side: Side,
    gate: set[str] | frozenset[str] | None,
    summary: str,
    needs_reason: bool = False,
    awaiting: set[str] | frozenset[str] = frozenset(),
) -> Transition:
    pending = None if gate is None else frozenset(gate)
    return Transition(
        command,
        frozenset(sources),
        target,
        frozenset(roles),
        side,
        pending,
        needs_reason,
        summary,
        frozenset(awaiting),
    )


OFFICER, REVIEWER, VERIFIER = Role.CASE_OFFICER, Role.REVIEWER, Role.VERIFIER
# Before consent is verified the person may still withdraw (18 U.S.C. § 4107(b)(4): once
# verified, consent is irrevocable).
BEFORE_CONSENT = {
    S.DRAFT,
    S.SCREENING,
    S.SENDING_REVIEW,
    S.RECEIVING_REVIEW,
    S.CONSENT_VERIFICATION,
}
TREATY_OPEN = BEFORE_CONSENT | {S.APPROVED, S.SCHEDULED}
REVIEW_PENDING = {"CONSENT", "APPROVAL"}

TREATY: tuple[Transition, ...] = (
    _t(
        "submit",
        {S.DRAFT},
        S.SCREENING,
        {OFFICER},
        Side.SENDING,
        None,
        "send the application to screening",
    ),
    _t(
        "screen",
        {S.SCREENING},
        S.SENDING_REVIEW,
        {OFFICER},
        Side.SENDING,
        REVIEW_PENDING,
        "eligible on the facts: to the sending state's review",
    ),
    _t(
        "mark_ineligible",
        {S.SCREENING},
        S.INELIGIBLE,
        {OFFICER},
        Side.SENDING,
        None,
        "not eligible on the facts",
        needs_reason=True,
    ),
    _t(
        "reopen",
        {S.INELIGIBLE},
        S.SCREENING,
        {OFFICER},
        Side.SENDING,
        None,
        "facts corrected: screen again",
        needs_reason=True,
    ),
    _t(
        "prepare_sending",
        {S.SENDING_REVIEW},
        S.SENDING_REVIEW,
        {REVIEWER},
        Side.SENDING,
        None,
        "a reviewer prepares the sending state's decision (someone else must take it)",
        needs_reason=True,
    ),
    _t(
        "prepare_receiving",
        {S.RECEIVING_REVIEW},
        S.RECEIVING_REVIEW,
        {REVIEWER},
        Side.RECEIVING,
        None,
        "a reviewer prepares the receiving state's decision (someone else must take it)",
        needs_reason=True,
    ),
    _t(
        "approve_sending",
        {S.SENDING_REVIEW},
        S.RECEIVING_REVIEW,
        {REVIEWER},
        Side.SENDING,
        REVIEW_PENDING,
        "the sending state approves",
    ),
    _t(
        "approve_receiving",
        {S.RECEIVING_REVIEW},
        S.CONSENT_VERIFICATION,
        {REVIEWER},
        Side.RECEIVING,
        {"CONSENT"},
        "the receiving state approves",
    ),
    _t(
        "deny",
        {S.SENDING_REVIEW, S.RECEIVING_REVIEW},
        S.DENIED,
        {REVIEWER},
        Side.EITHER,
        None,
        "the state under review denies, with reasons",
        needs_reason=True,
    ),
    _t(
        "verify_consent",
        {S.CONSENT_VERIFICATION},
        S.APPROVED,
        {VERIFIER},
        Side.SENDING,
        frozenset(),
        "consent verified at a hearing: approved for transfer",
    ),
    _t(
        "withdraw",
        BEFORE_CONSENT,
        S.WITHDRAWN,
        {OFFICER},
        Side.SENDING,
        None,
        "the person withdraws the application",
        needs_reason=True,
    ),
    _t(
        "schedule",
        {S.APPROVED},
        S.SCHEDULED,
        {OFFICER},
        Side.SENDING,
        frozenset(),
        "placed on a movement",
    ),
    _t(
        "depart",
        {S.SCHEDULED},
        S.IN_TRANSIT,
        {OFFICER},
        Side.SENDING,
        frozenset(),
        "the movement leaves",
    ),
    _t(
        "confirm_arrival",
        {S.IN_TRANSIT},
        S.COMPLETED,
        {OFFICER},
        Side.RECEIVING,
        None,
        "the receiving state confirms arrival",
    ),
    _t(
        "cancel",
        TREATY_OPEN,
        S.CANCELLED,
        {OFFICER, REVIEWER},
        Side.EITHER,
        None,
        "a hold, protection order or failed re-assessment ends the case",
        needs_reason=True,
    ),
)

# Whether the person fears the destination is known only once they have been told of it (the
# notice): until then the fear-claim checks (grounds HOLD and PROTECTION_ORDER) are unknown.
# A hold or protection order on file still fails them, and so still stops these steps.
BEFORE_NOTICE = frozenset({"HOLD", "PROTECTION_ORDER"})
REMOVAL_OPEN = {
    S.ORDER_FINAL,
    S.DESTINATION_DESIGNATED,
    S.NOTICE_SERVED,
    S.WAITING_PERIOD,
    S.CLEARED,
    S.SCHEDULED,
}
REMOVAL: tuple[Transition, ...] = (
    _t(
        "designate_destination",
        {S.ORDER_FINAL},
        S.DESTINATION_DESIGNATED,
        {OFFICER},
        Side.SENDING,
        {"NOTICE"},
        "the destination country is designated",
        awaiting=BEFORE_NOTICE,
    ),
    _t(
        "serve_notice",
        {S.DESTINATION_DESIGNATED},
        S.NOTICE_SERVED,
        {OFFICER},
        Side.SENDING,
        {"NOTICE"},
        "written notice of the destination is served on the person",
        awaiting=BEFORE_NOTICE,
    ),
    _t(
        "start_waiting_period",
        {S.NOTICE_SERVED},
        S.WAITING_PERIOD,
        {OFFICER},
        Side.SENDING,
        {"NOTICE"},
        "the time to raise a fear claim or seek habeas runs",
    ),
    _t(
        "clear",
        {S.WAITING_PERIOD},
        S.CLEARED,
        {OFFICER},
        Side.SENDING,
        frozenset(),
        "every check passes: cleared for removal",
    ),
    _t(
        "schedule",
        {S.CLEARED},
        S.SCHEDULED,
        {OFFICER},
        Side.SENDING,
        frozenset(),
        "placed on a movement",
    ),
    _t(
        "depart",
        {S.SCHEDULED},
        S.IN_TRANSIT,
        {OFFICER},
        Side.SENDING,
        frozenset(),
        "the movement leaves",
    ),
    _t(
        "confirm_arrival",
        {S.IN_TRANSIT},
        S.DELIVERED,
        {OFFICER},
        Side.RECEIVING,
        None,
        "the receiving state confirms delivery",
    ),
    _t(
        "block",
        REMOVAL_OPEN,
        S.BLOCKED,
        {OFFICER},
        Side.SENDING,
        None,
        "a hold, fear claim or protection order stops the removal",
        needs_reason=True,
    ),
    _t(
        "resume",
        {S.BLOCKED},
        S.ORDER_FINAL,
        {OFFICER},
        Side.SENDING,
        {"NOTICE"},
        "the block is lifted: the removal starts again from the final order",
        needs_reason=True,
        awaiting=BEFORE_NOTICE,
    ),
    _t(
        "cancel",
        REMOVAL_OPEN | {S.BLOCKED},
        S.CANCELLED,
        {OFFICER},
        Side.SENDING,
        None,
        "the removal is abandoned",
        needs_reason=True,
    ),
)

LIFECYCLES: dict[Track, tuple[Transition, ...]] = {Track.TREATY: TREATY, Track.REMOVAL: REMOVAL}
# States from which a new hold or protection order ends (treaty) or blocks (removal) a case.
BEFORE_TRANSIT = {Track.TREATY: frozenset(TREATY_OPEN), Track.REMOVAL: frozenset(REMOVAL_OPEN)}


def track_of(authority: str) -> Track:
    """Which lifecycle a case under this authority follows."""
    return Track.REMOVAL if authority in REMOVAL_AUTHORITIES else Track.TREATY


def find(authority: str, command: str, state: CaseState) -> Transition:
    """The transition a command takes from a state, or TransitionNotAllowed."""
    track = track_of(authority)
    for transition in LIFECYCLES[track]:
        if transition.command == command and state in transition.sources:
            return transition
    if command == "withdraw" and track is Track.TREATY and state in TREATY_OPEN:
        raise TransitionNotAllowed(
            command, state, "consent verified under 18 U.S.C. § 4107(b)(4) is irrevocable"
        )
    raise TransitionNotAllowed(command, state)


def commands(authority: str) -> list[str]:
    """Every command of the lifecycle this authority follows, in drawing order."""
    return list(dict.fromkeys(t.command for t in LIFECYCLES[track_of(authority)]))


def available(authority: str, state: CaseState) -> list[Transition]:
    """The transitions that leave a state."""
    return [t for t in LIFECYCLES[track_of(authority)] if state in t.sources]
