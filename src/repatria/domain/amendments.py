"""Amendments to the law under review: proposed by a legal officer, approved or rejected by
a second person of the same state (four eyes), in force from the day the approver names."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from repatria.domain.accounts import Principal, Role
from repatria.domain.errors import Conflict, InvalidInput, PermissionDenied, Term
from repatria.i18n import N_


class AmendmentStatus(enum.StrEnum):
    """Where an amendment is in its review."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(eq=False)
class LawAmendment:
    """One amendment: the YAML overlay it adds to the law, who proposed and decided it, when."""

    state: str  # the proposer's state: its legal officers and administrators review it
    title: str
    file_name: str  # the uploaded file's name, or the form's (how errors name it)
    folder: str  # authorities or shared
    target: str  # the authority or rule set it amends or adds
    text: str  # the YAML overlay, exactly as proposed
    adds: str  # what it adds, in words (`law check`'s summary)
    proposed_by: int | None
    proposed_at: datetime
    reason: str
    status: AmendmentStatus = AmendmentStatus.PROPOSED
    decided_by: int | None = None
    decided_at: datetime | None = None
    decision_reason: str = ""
    effective_on: date | None = None  # the day it takes effect in this installation
    # When the cases it changed were told (an event each): once, on or after effective_on.
    announced_at: datetime | None = None
    version: int = 1
    id: int | None = None


def check_decision(
    amendment: LawAmendment, principal: Principal, on: date, effective_on: date | None
) -> None:
    """Refuse a decision the review does not allow: only a proposal is decided, by a legal
    officer or administrator of its state who did not propose it, taking effect no earlier
    than the day it is approved."""
    if principal.role not in (Role.LEGAL_OFFICER, Role.ADMIN) or (
        principal.state != amendment.state
    ):
        raise PermissionDenied(
            N_("only a legal officer or administrator of %(state)s decides this amendment"),
            state=amendment.state,
        )
    if principal.user_id is not None and principal.user_id == amendment.proposed_by:
        raise PermissionDenied(
            N_("four eyes: the person who proposed an amendment may not decide it")
        )
    if amendment.status is not AmendmentStatus.PROPOSED:
        raise Conflict(
            N_("amendment %(id)s is already %(status)s"),
            id=amendment.id,
            status=Term(amendment.status.value),
        )
    if effective_on is not None and effective_on < on:
        raise InvalidInput(
            "effective_on",
            N_(
                "an amendment takes effect on or after the day it is approved (%(on)s); the law"
                " it adds says from when it applies, in its dated entries"
            ),
            on=on,
        )
