"""The cases repository: what the services read and change of cases and of the records kept on
them (decisions, consent hearings, notices, fear claims, assessments, the case's timeline)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case, CaseState
from repatria.domain.people import Person
from repatria.domain.workflow import ConsentVerification, Decision, FearClaim, Notice


@dataclass(frozen=True)
class EngineRecords:
    """What the legal engine reads about a case besides the case itself: the person with
    their details, the case's own records, and the fear claims raised on any of the person's
    cases (fear is of a country). Read only: nothing changed on them is stored."""

    person: Person
    decisions: list[Decision]
    consents: list[ConsentVerification]
    notices: list[Notice]
    fear_claims: list[FearClaim]


@dataclass(frozen=True)
class TimelineEntry:
    """One recorded event of a case, as its timeline shows it."""

    id: int
    seq: int
    command: str
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    actor_id: int | None
    reason: str
    legal_basis: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a listing holds: those involving `involving` (None: every state's), and
    any of the narrower conditions given."""

    involving: str | None = None
    state: CaseState | None = None
    authority: str | None = None
    person_id: int | None = None
    counterpart: str | None = None


@dataclass(frozen=True)
class OpenCases:
    """Open cases column by column, each with the document of its latest assessment (the facts
    it was judged on): columns, so that 100,000 of them cost no object each."""

    case_ids: list[int]
    references: list[str]
    senders: list[str]
    receivers: list[str]
    departures: list[date | None]  # the planned departure's day (UTC)
    documents: list[str | None]  # the JSON text as stored; None: never assessed


class Cases(Protocol):
    """Reads and changes cases inside one unit of work."""

    def get(self, case_id: int) -> Case | None:
        """The case, or None; a change to it is stored checked against the version read."""

    def add(self, case: Case) -> None:
        """Store a new case; it has its id afterwards."""

    def update(self, case: Case) -> None:
        """Store the changes made to the case now; Conflict if someone else changed it."""

    def by_reference(self, reference: str) -> Case | None:
        """The case with this reference (as both states quote it), or None."""

    def reference_taken(self, reference: str) -> bool:
        """Whether a case already has this reference."""

    def page(self, which: CaseFilter, *, limit: int, offset: int) -> tuple[list[Case], int]:
        """A page of the cases, newest first, and how many there are across every page."""

    def of_person(self, person_id: int) -> list[Case]:
        """Every case of the person, oldest first."""

    def engine_records(self, case: Case) -> EngineRecords | None:
        """What the legal engine reads about the case (None: its person is gone)."""

    def add_decision(self, decision: Decision) -> None:
        """Store a state's decision on a case; it has its id afterwards."""

    def add_consent_hearing(self, hearing: ConsentVerification) -> None:
        """Store the record of a consent verification hearing; it has its id afterwards."""

    def add_notice(self, notice: Notice) -> None:
        """Store a notice served on the person; it has its id afterwards."""

    def add_fear_claim(self, claim: FearClaim) -> None:
        """Store a fear claim; it has its id afterwards."""

    def fear_claim(self, claim_id: int) -> FearClaim | None:
        """The fear claim, or None; a change to it is stored with `update_fear_claim`."""

    def update_fear_claim(self, claim: FearClaim) -> None:
        """Store the changes made to the fear claim now."""

    def add_assessment(self, assessment: Assessment) -> None:
        """Store an assessment; it has its id afterwards."""

    def assessment(self, assessment_id: int) -> Assessment | None:
        """The stored assessment, or None."""

    def preparers(self, case_id: int, event: str) -> set[int]:
        """Every user who, by the record, recorded this event on the case."""

    def timeline(self, case_id: int) -> list[TimelineEntry]:
        """The recorded events of the case, oldest first."""

    def last_consent_hearing(self, case_id: int) -> ConsentVerification | None:
        """The latest consent verification hearing recorded on the case, or None."""

    def open_with_documents(
        self, closed: Collection[CaseState], involving: str | None = None
    ) -> OpenCases:
        """Every case in none of the closed states (from or to the state `involving`, where
        given), in the order of their ids, with the document of its latest assessment."""

    def open_among(self, case_ids: Collection[int], closed: Collection[CaseState]) -> set[int]:
        """Those of the cases that are in none of the closed states."""
