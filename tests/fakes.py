"""A unit of work kept in memory, for fast use-case tests of cases and people without a database.

`FakeUnitOfWork` implements the services' UnitOfWork protocol with in-memory repositories for
the concepts a case's use cases read and change (`uow.cases`, `uow.people` and the approved
amendments the law in force reads); any other repository raises NotImplementedError naming
it, so a test that wanders past what the fake covers says so instead of passing silently.

It keeps the database's semantics that the use cases rely on: a unit of work sees what was
committed when it began and its own changes; leaving it without commit leaves nothing behind;
its events reach the record at commit (so four eyes reads only committed preparers, as it does
from the events table); and a change to a case or person read at a version someone else has
since committed is refused with the domain's Conflict, as the versioned UPDATE refuses it.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, NoReturn, Self, cast

from repatria.domain.amendments import LawAmendment
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case
from repatria.domain.errors import Conflict
from repatria.domain.events import Event
from repatria.domain.people import Person
from repatria.domain.records import snapshot
from repatria.domain.workflow import ConsentVerification, Decision, FearClaim, Notice
from repatria.services.ports import (
    accounts,
    amendments,
    audit,
    cases,
    contracts,
    facilities,
    idempotency,
    messages,
    movements,
    peers,
    people,
    views,
)
from repatria.services.ports.cases import CaseFilter, EngineRecords, TimelineEntry
from repatria.services.ports.people import PeopleFilter, SentenceTerm
from repatria.services.unit_of_work import RecordsEvents, UnitOfWork

# A person's details, each a list of records with their own ids.
_DETAILS = (
    "citizenships",
    "identifiers",
    "sentences",
    "protection_orders",
    "holds",
    "removal_orders",
)


@dataclass
class FakeStore:
    """What the committed units of work left: the fake's database."""

    cases: dict[int, Case] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    decisions: dict[int, Decision] = field(default_factory=dict)
    consents: dict[int, ConsentVerification] = field(default_factory=dict)
    notices: dict[int, Notice] = field(default_factory=dict)
    fear_claims: dict[int, FearClaim] = field(default_factory=dict)
    assessments: dict[int, Assessment] = field(default_factory=dict)
    amendments: list[LawAmendment] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


class FakeUnitOfWork(RecordsEvents):
    """The UnitOfWork protocol in memory (see the module's docstring for what it covers)."""

    def __init__(self, store: FakeStore | None = None) -> None:
        super().__init__()
        self.store = store if store is not None else FakeStore()
        self.committed = False
        self._work: FakeStore | None = None
        self._read_at: dict[tuple[str, int], int] = {}  # the version each object was read at
        self._stored: dict[tuple[str, int], Any] = {}  # its snapshot when last stored
        self._written: set[tuple[str, int]] = set()  # what this unit added or changed
        self.cases: cases.Cases = FakeCases(self)
        self.people: people.People = FakePeople(self)
        self.amendments: amendments.Amendments = cast(Any, FakeAmendments(self))
        self.accounts: accounts.Accounts = _missing("accounts")
        self.idempotency: idempotency.Idempotency = _missing("idempotency")
        self.movements: movements.Movements = _missing("movements")
        self.facilities: facilities.Facilities = _missing("facilities")
        self.contracts: contracts.Contracts = _missing("contracts")
        self.peers: peers.Peers = _missing("peers")
        self.messages: messages.Messages = _missing("messages")
        self.audit: audit.AuditLog = _missing("audit")
        self.views: views.Views = _missing("views")

    # -- the protocol ----------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.close()
        self.committed = False
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def commit(self) -> None:
        """Make the changes durable, refusing any made to a case or person someone else
        changed since it was read; the events join the record."""
        work = self.work
        try:
            for kind, key in list(self._read_at):
                self.changed(kind, getattr(work, kind)[key])  # what was changed, not stored
            for kind, key in self._written:
                committed = getattr(self.store, kind).get(key)
                stale = committed is not None and key in self._versioned(kind)
                if stale and committed.version != self._read_at[(kind, key)]:
                    raise Conflict(f"{kind[:-1]} {key} was changed by someone else meanwhile")
        except Conflict:
            self.close()
            raise
        for kind, key in self._written:
            getattr(self.store, kind)[key] = copy.deepcopy(getattr(work, kind)[key])
        for event in self._recorded:
            event.id = next(self.store.ids)
            self.store.events.append(copy.deepcopy(event))
        self.close()
        self.committed = True

    def close(self) -> None:
        """End the unit (its changes forgotten unless committed)."""
        self._recorded = []
        self._work = None
        self._read_at = {}
        self._stored = {}
        self._written = set()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the unit that an exception leaving it undoes alone, its events included."""
        saved = copy.deepcopy((self.work, self._read_at, self._stored, self._written))
        mark = len(self._recorded)
        try:
            yield
        except BaseException:
            self._work, self._read_at, self._stored, self._written = saved
            del self._recorded[mark:]
            raise

    def reading_ahead(self) -> UnitOfWork | None:
        """None: nothing in memory locks another writer out."""
        return None

    @property
    def session(self) -> NoReturn:
        """The fake has no ORM session: the services use the repositories."""
        raise NotImplementedError("FakeUnitOfWork has no session: use the repositories")

    def connection(self) -> NoReturn:
        """The fake has no connection: the services use the repositories."""
        raise NotImplementedError("FakeUnitOfWork has no connection: use the repositories")

    # -- for the repositories ----------------------------------------------------------------

    @property
    def work(self) -> FakeStore:
        """What this unit sees: the committed store as it began, and its own changes."""
        if self._work is None:
            self._begin()
        assert self._work is not None
        return self._work

    def _begin(self) -> None:
        self._work = copy.copy(self.store)
        for name in ("cases", "people", "decisions", "consents", "notices", "fear_claims"):
            setattr(self._work, name, copy.deepcopy(getattr(self.store, name)))
        self._work.assessments = dict(self.store.assessments)
        self._work.amendments = list(self.store.amendments)

    def read(self, kind: str, found: Any) -> Any:
        """Remember the version a case or person was read at, and how it looked."""
        if found is not None and (kind, found.id) not in self._read_at:
            self._read_at[(kind, found.id)] = found.version
            self._stored[(kind, found.id)] = snapshot(found)
        return found

    def changed(self, kind: str, obj: Any) -> None:
        """Store a change to a case or person as its versioned UPDATE: one more version if
        anything changed since it was last stored; Conflict if it was read at a version
        someone else has since committed over."""
        key = (kind, obj.id)
        self.read(kind, obj)
        if snapshot(obj) == self._stored[key]:
            return
        committed = getattr(self.store, kind).get(obj.id)
        if committed is not None and committed.version != self._read_at[key]:
            raise Conflict(f"{kind[:-1]} {obj.id} was changed by someone else meanwhile")
        obj.version += 1
        self._stored[key] = snapshot(obj)
        self._written.add(key)

    def wrote(self, kind: str, key: int) -> None:
        """Note a record this unit added or changed, to be stored at its commit."""
        self._written.add((kind, key))

    def _versioned(self, kind: str) -> set[int]:
        return {key for k, key in self._read_at if k == kind}

    def new_id(self) -> int:
        """A fresh id for a new record of any kind."""
        return next(self.store.ids)


def _missing(name: str) -> Any:
    return _Missing(name)


class _Missing:
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
        getattr(_Missing("amendments"), attribute)
        raise AssertionError  # never reached: _Missing raises

    def approved(self) -> list[LawAmendment]:
        """Every approved amendment, in the order it takes effect."""
        return list(self._uow.work.amendments)


def _by_id(records: Any) -> list[Any]:
    return sorted(records, key=lambda r: r.id or 0)
