"""The in-memory repositories of tests/fakes.py's FakeUnitOfWork: cases, people and the
approved amendments, each implementing its port (services/ports/) over the unit's view of
the fake's store; and Missing, which stands for a repository the fake does not keep."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Collection
from datetime import UTC
from typing import TYPE_CHECKING, Any, NoReturn, cast

from repatria.domain.amendments import LawAmendment
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case, CaseState
from repatria.domain.events import Event
from repatria.domain.people import Person
from repatria.domain.workflow import ConsentVerification, Decision, FearClaim, Notice
from repatria.services.ports.cases import CaseFilter, EngineRecords, OpenCases, TimelineEntry
from repatria.services.ports.people import PeopleFilter, SentenceTerm

if TYPE_CHECKING:
    from tests.fakes import FakeUnitOfWork

# A person's details, each a list of records with their own ids.
_DETAILS = (
    "citizenships",
    "identifiers",
    "sentences",
    "protection_orders",
    "holds",
    "removal_orders",
)


class Missing:
    """A repository the fake does not keep: any use says which, and where to test instead."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> NoReturn:
        if attribute.startswith("_"):  # copy, pickle and the like probe for these
            raise AttributeError(attribute)
        raise NotImplementedError(
            f"FakeUnitOfWork keeps no {self._name} repository (uow.{self._name}.{attribute}): "
            "test this use case on the database"
        )


class FakeCases:
    """The cases repository (services/ports/cases.py) in memory."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def get(self, case_id: int) -> Case | None:
        """The case, or None."""
        return cast(Case | None, self._uow.read("cases", self._uow.work.cases.get(case_id)))

    def add(self, case: Case) -> None:
        """Store a new case; it has its id afterwards."""
        case.id = self._uow.new_id()
        self._uow.work.cases[case.id] = case
        self._uow.read("cases", case)
        self._uow.wrote("cases", case.id)

    def update(self, case: Case) -> None:
        """Store the changes made to the case now; Conflict if someone else changed it."""
        self._uow.changed("cases", case)

    def by_reference(self, reference: str) -> Case | None:
        """The case with this reference, or None."""
        for case in self._uow.work.cases.values():
            if case.reference == reference:
                return cast(Case, self._uow.read("cases", case))
        return None

    def reference_taken(self, reference: str) -> bool:
        """Whether a case already has this reference."""
        return any(c.reference == reference for c in self._uow.work.cases.values())

    def page(self, which: CaseFilter, *, limit: int, offset: int) -> tuple[list[Case], int]:
        """A page of the cases, newest first, and how many there are across every page."""
        counterpart = which.counterpart.upper() if which.counterpart else None
        found = [
            self._uow.read("cases", c)
            for c in sorted(self._uow.work.cases.values(), key=lambda c: -(c.id or 0))
            if (which.involving is None or which.involving in c.states_involved)
            and (which.state is None or c.state == which.state)
            and (not which.authority or c.authority == which.authority)
            and (which.person_id is None or c.person_id == which.person_id)
            and (counterpart is None or counterpart in c.states_involved)
        ]
        return found[offset : offset + limit], len(found)

    def of_person(self, person_id: int) -> list[Case]:
        """Every case of the person, oldest first."""
        work = self._uow.work.cases
        return [
            self._uow.read("cases", work[i]) for i in sorted(work) if work[i].person_id == person_id
        ]

    def engine_records(self, case: Case) -> EngineRecords | None:
        """What the legal engine reads about the case: copies, as the database's rows are."""
        work = self._uow.work
        person = work.people.get(case.person_id)
        if person is None:
            return None
        theirs = {c.id for c in work.cases.values() if c.person_id == case.person_id}
        return copy.deepcopy(
            EngineRecords(
                person=person,
                decisions=_by_id(d for d in work.decisions.values() if d.case_id == case.id),
                consents=_by_id(c for c in work.consents.values() if c.case_id == case.id),
                notices=_by_id(n for n in work.notices.values() if n.case_id == case.id),
                fear_claims=_by_id(f for f in work.fear_claims.values() if f.case_id in theirs),
            )
        )

    def add_decision(self, decision: Decision) -> None:
        """Store a state's decision on a case; it has its id afterwards."""
        decision.id = self._uow.new_id()
        self._uow.work.decisions[decision.id] = decision
        self._uow.wrote("decisions", decision.id)

    def add_consent_hearing(self, hearing: ConsentVerification) -> None:
        """Store the record of a consent verification hearing; it has its id afterwards."""
        hearing.id = self._uow.new_id()
        self._uow.work.consents[hearing.id] = hearing
        self._uow.wrote("consents", hearing.id)

    def last_consent_hearing(self, case_id: int) -> ConsentVerification | None:
        """The latest consent verification hearing recorded on the case, or None."""
        hearings = [c for c in self._uow.work.consents.values() if c.case_id == case_id]
        return max(hearings, key=lambda c: c.id or 0, default=None)

    def open_with_documents(
        self, closed: Collection[CaseState], involving: str | None = None
    ) -> OpenCases:
        """Every case in none of the closed states (and from or to `involving`), by id,
        with its latest document."""
        work = self._uow.work
        found = OpenCases([], [], [], [], [], [])
        for case_id in sorted(work.cases):
            case = work.cases[case_id]
            if case.state in closed or involving not in (None, case.from_state, case.to_state):
                continue
            assessed = [a for a in work.assessments.values() if a.case_id == case_id]
            latest = max(assessed, key=lambda a: a.id or 0, default=None)
            found.case_ids.append(case_id)
            found.references.append(case.reference)
            found.senders.append(case.from_state)
            found.receivers.append(case.to_state)
            departure = case.departure_at
            found.departures.append(departure.astimezone(UTC).date() if departure else None)
            found.documents.append(json.dumps(latest.document) if latest else None)
        return found

    def open_among(self, case_ids: Collection[int], closed: Collection[CaseState]) -> set[int]:
        """Those of the cases that are in none of the closed states."""
        work = self._uow.work.cases
        return {i for i in case_ids if i in work and work[i].state not in closed}

    def add_notice(self, notice: Notice) -> None:
        """Store a notice served on the person; it has its id afterwards."""
        notice.id = self._uow.new_id()
        self._uow.work.notices[notice.id] = notice
        self._uow.wrote("notices", notice.id)

    def add_fear_claim(self, claim: FearClaim) -> None:
        """Store a fear claim; it has its id afterwards."""
        claim.id = self._uow.new_id()
        self._uow.work.fear_claims[claim.id] = claim
        self._uow.wrote("fear_claims", claim.id)

    def fear_claim(self, claim_id: int) -> FearClaim | None:
        """The fear claim, or None."""
        return self._uow.work.fear_claims.get(claim_id)

    def update_fear_claim(self, claim: FearClaim) -> None:
        """Store the changes made to the fear claim now."""
        assert claim.id is not None
        self._uow.wrote("fear_claims", claim.id)

    def add_assessment(self, assessment: Assessment) -> None:
        """Store an assessment; it has its id afterwards."""
        assessment.id = self._uow.new_id()
        self._uow.work.assessments[assessment.id] = assessment
        self._uow.wrote("assessments", assessment.id)

    def assessment(self, assessment_id: int) -> Assessment | None:
        """The stored assessment, or None."""
        return self._uow.work.assessments.get(assessment_id)

    def preparers(self, case_id: int, event: str) -> set[int]:
        """Every user who, by the record, recorded this event on the case."""
        return {
            e.actor_id
            for e in self._committed_events(case_id)
            if e.command == event and e.actor_id is not None
        }

    def timeline(self, case_id: int) -> list[TimelineEntry]:
        """The recorded events of the case, oldest first."""
        names = [f.name for f in dataclasses.fields(TimelineEntry) if f.name != "seq"]
        return [
            TimelineEntry(seq=position, **{name: getattr(e, name) for name in names})
            for position, e in enumerate(self._uow.store.events)
            if e.subject_type == "case" and e.subject_id == str(case_id)
        ]

    def _committed_events(self, case_id: int) -> list[Event]:
        return [
            e
            for e in self._uow.store.events
            if e.subject_type == "case" and e.subject_id == str(case_id)
        ]


class FakePeople:
    """The people repository (services/ports/people.py) in memory."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def get(self, person_id: int, *, seen_by: str | None = None) -> Person | None:
        """The person, if `seen_by` sees them (None: whoever asks); otherwise None."""
        person = self._uow.work.people.get(person_id)
        if person is None or (seen_by is not None and not self._sees(seen_by, person)):
            return None
        return cast(Person, self._uow.read("people", person))

    def add(self, person: Person) -> None:
        """Store a new person with their details; they have their ids afterwards."""
        person.id = self._uow.new_id()
        self._number_details(person)
        self._uow.work.people[person.id] = person
        self._uow.read("people", person)
        self._uow.wrote("people", person.id)

    def update(self, person: Person) -> None:
        """Store the changes made to the person now; Conflict if someone else changed them."""
        self._number_details(person)
        self._uow.changed("people", person)

    def holder_of(self, scheme: str, value: str) -> int | None:
        """The id of the person this identifier belongs to, or None."""
        for person in self._uow.work.people.values():
            for identifier in person.identifiers:
                if (identifier.scheme, identifier.value) == (scheme, value):
                    return person.id
        return None

    def page(self, which: PeopleFilter, *, limit: int, offset: int) -> tuple[list[Person], int]:
        """A page of the people, by id, and how many there are across every page."""
        work = self._uow.work.people
        part = which.name.lower() if which.name else None
        found = [
            self._uow.read("people", work[i])
            for i in sorted(work)
            if (which.seen_by is None or self._sees(which.seen_by, work[i]))
            and (
                not which.citizenship
                or which.citizenship.upper() in {c.country for c in work[i].citizenships}
            )
            and (not which.held_by_state or work[i].held_by_state == which.held_by_state.upper())
            and (
                part is None
                or part in work[i].family_name.lower()
                or part in work[i].given_names.lower()
            )
        ]
        return found[offset : offset + limit], len(found)

    def identifiers_held(self, identifiers: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (scheme, value) identifiers someone already carries."""
        carried = {
            (identifier.scheme, identifier.value)
            for person in self._uow.work.people.values()
            for identifier in person.identifiers
        }
        return carried & set(identifiers)

    def sentence_terms(self, person_ids: Collection[int]) -> list[SentenceTerm]:
        """The terms of these people's sentences, in the order they were recorded."""
        work = self._uow.work.people
        recorded = sorted(
            ((sentence, i) for i in person_ids if i in work for sentence in work[i].sentences),
            key=lambda found: found[0].id or 0,
        )
        return [
            SentenceTerm(
                person_id=i,
                start_date=sentence.start_date,
                length_days=sentence.length_days,
                credit_days=sentence.credit_days,
                indeterminate=sentence.indeterminate,
            )
            for sentence, i in recorded
        ]

    def _sees(self, state: str, person: Person) -> bool:
        return person.held_by_state == state or any(
            c.person_id == person.id and state in c.states_involved
            for c in self._uow.work.cases.values()
        )

    def _number_details(self, person: Person) -> None:
        for name in _DETAILS:
            for detail in getattr(person, name):
                if getattr(detail, "id", None) is None:
                    detail.id = self._uow.new_id()


class FakeAmendments:
    """The approved amendments the law in force reads, in memory (none unless a test adds
    them to the store); the rest of the amendments repository is not kept."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def __getattr__(self, attribute: str) -> NoReturn:
        getattr(Missing("amendments"), attribute)
        raise AssertionError  # never reached: Missing raises

    def approved(self) -> list[LawAmendment]:
        """Every approved amendment, in the order it takes effect."""
        return list(self._uow.work.amendments)


def _by_id(records: Any) -> list[Any]:
    return sorted(records, key=lambda r: r.id or 0)
