"""Cases: one person's proposed movement under one authority."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


class CaseState(enum.StrEnum):
    """Every state a treaty-transfer or removal case can be in (lifecycles in docs)."""

    DRAFT = "draft"
    SCREENING = "screening"
    SENDING_REVIEW = "sending_review"
    RECEIVING_REVIEW = "receiving_review"
    CONSENT_VERIFICATION = "consent_verification"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    IN_TRANSIT = "in_transit"
    COMPLETED = "completed"
    INELIGIBLE = "ineligible"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    ORDER_FINAL = "order_final"
    DESTINATION_DESIGNATED = "destination_designated"
    NOTICE_SERVED = "notice_served"
    WAITING_PERIOD = "waiting_period"
    CLEARED = "cleared"
    DELIVERED = "delivered"
    BLOCKED = "blocked"


REMOVAL_AUTHORITIES = frozenset(
    {"us-removal", "us-third-country-removal", "aea-1798", "custody-agreement"}
)


def initial_state(authority: str) -> CaseState:
    """Where a new case starts: a draft transfer, or a removal whose order is final."""
    return CaseState.ORDER_FINAL if authority in REMOVAL_AUTHORITIES else CaseState.DRAFT


@dataclass(eq=False)
class Case:
    """One person's proposed movement from one state to another under one authority."""

    person_id: int
    authority: str
    from_state: str
    to_state: str
    state: CaseState
    opened_by: int | None
    opened_at: datetime
    updated_at: datetime
    reference: str = ""
    request_received_on: date | None = None
    departure_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    prepared_by: int | None = None
    version: int = 1
    id: int | None = None

    @property
    def states_involved(self) -> tuple[str, str]:
        """The sending and receiving state."""
        return (self.from_state, self.to_state)
