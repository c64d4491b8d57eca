"""The records a case gathers on its way: state decisions, consent verification, notice, fear
claims. Each is evidence the legal engine reads when the case is re-assessed."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class DecisionKind(enum.StrEnum):
    APPROVE = "approve"
    DENY = "deny"


@dataclass(eq=False)
class Decision:
    """One state's decision on a case, with the reasons of a human judgement."""

    case_id: int
    state: str
    kind: DecisionKind
    decided_on: date
    decided_by: int | None
    reasons: str
    id: int | None = None


class ConsentGiver(enum.StrEnum):
    """Who consents: the person, or for a minor or incompetent person (18 U.S.C. § 4100(b))
    a parent, guardian or court."""

    PERSON = "person"
    PARENT = "parent"
    GUARDIAN = "guardian"
    COURT = "court"


class VerifierRole(enum.StrEnum):
    """Who may verify consent: a US magistrate or judge outbound (§ 4107), a designated US
    officer abroad inbound (§ 4108)."""

    MAGISTRATE_JUDGE = "magistrate_judge"
    DISTRICT_JUDGE = "district_judge"
    DESIGNATED_OFFICER = "designated_officer"


# The advisements 18 U.S.C. § 4107(b) requires the verifying officer to give.
REQUIRED_ADVISEMENTS = (
    "only_us_courts_may_modify_or_set_aside",  # § 4107(b)(1)
    "sentence_carried_out_under_receiving_law",  # § 4107(b)(2)
    "may_be_returned_if_transfer_found_unlawful",  # § 4107(b)(3)
    "consent_once_verified_is_irrevocable",  # § 4107(b)(4)
)


@dataclass(eq=False)
class ConsentVerification:
    """The record of a consent verification hearing (18 U.S.C. §§ 4107-4109)."""

    case_id: int
    verifier_name: str
    verifier_role: VerifierRole
    verified_on: date
    counsel: str  # "present" or "waived" (§ 4109: right to advice of counsel)
    advisements: dict[str, bool]
    given_by: ConsentGiver
    consents: bool
    recording_reference: str
    opinion_recorded: bool = True
    recorded_by: int | None = None
    id: int | None = None
    language: str | None = None  # the language the hearing was held in
    interpreter: str | None = None  # who interpreted, if anyone did

    def missing_advisements(self) -> list[str]:
        """The required advisements not recorded as given."""
        return [name for name in REQUIRED_ADVISEMENTS if not self.advisements.get(name)]


@dataclass(eq=False)
class Notice:
    """Written notice of the destination served on a person facing removal."""

    case_id: int
    served_at: datetime
    language_understood: bool
    explains_how_to_contest: bool
    country: str | None = None  # the country the notice names; None: not recorded
    id: int | None = None


class FearOutcome(enum.StrEnum):
    """The outcome of a fear screening: in the person's favour (protected) or not."""

    PROTECTED = "protected"
    REJECTED = "rejected"


@dataclass(eq=False)
class FearClaim:
    """A claim of fear of persecution or torture in the destination country."""

    case_id: int
    raised_on: date
    country: str
    outcome: FearOutcome | None = None
    decided_on: date | None = None
    id: int | None = None


@dataclass
class CaseFacts:
    """Facts a case officer asserts for the engine that the person's record does not hold."""

    values: dict[str, object] = field(default_factory=dict)
