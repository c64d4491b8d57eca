"""The cases repository on SQLAlchemy (services/ports/cases.py)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl
from sqlalchemy import (
    ColumnElement,
    DateTime,
    RowMapping,
    ScalarSelect,
    Select,
    Table,
    Text,
    bindparam,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql.elements import BindParameter

from repatria.adapters.db import tables as t
from repatria.adapters.db.mapping import PERSON_DETAILS
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case, CaseState
from repatria.domain.people import Person
from repatria.domain.workflow import ConsentVerification, Decision, FearClaim, Notice
from repatria.services.ports.cases import CaseFilter, EngineRecords, OpenCases, TimelineEntry

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork

T = TypeVar("T")


class SqlCases:
    """Cases in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def get(self, case_id: int) -> Case | None:
        """The case, or None; a change to it is stored checked against the version read."""
        return self._uow.session.get(Case, case_id)

    def add(self, case: Case) -> None:
        """Store a new case; it has its id afterwards."""
        self._added(case)

    def update(self, case: Case) -> None:
        """Store the changes made to the case now; Conflict if someone else changed it (the
        mapping's version_id_col checks the UPDATE against the version read)."""
        self._uow.session.flush()

    def by_reference(self, reference: str) -> Case | None:
        """The case with this reference (as both states quote it), or None."""
        found: Case | None = self._uow.session.scalar(
            select(Case).where(t.cases.c.reference == reference)
        )
        return found

    def reference_taken(self, reference: str) -> bool:
        """Whether a case already has this reference."""
        found = self._uow.session.scalar(_BY_REFERENCE, {"reference": reference})
        return found is not None

    def page(self, which: CaseFilter, *, limit: int, offset: int) -> tuple[list[Case], int]:
        """A page of the cases, newest first, and how many there are across every page."""
        c = t.cases.c
        query = select(Case)
        if which.involving is not None:
            query = query.where(or_(c.from_state == which.involving, c.to_state == which.involving))
        if which.state is not None:
            query = query.where(c.state == which.state)
        if which.authority:
            query = query.where(c.authority == which.authority)
        if which.person_id is not None:
            query = query.where(c.person_id == which.person_id)
        if which.counterpart:
            code = which.counterpart.upper()
            query = query.where(or_(c.from_state == code, c.to_state == code))
        session = self._uow.session
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = session.scalars(query.order_by(c.id.desc()).limit(limit).offset(offset))
        return list(items), total

    def of_person(self, person_id: int) -> list[Case]:
        """Every case of the person, oldest first."""
        query = select(Case).where(t.cases.c.person_id == person_id).order_by(t.cases.c.id)
        return list(self._uow.session.scalars(query))

    def engine_records(self, case: Case) -> EngineRecords | None:
        """What the legal engine reads about the case (None: its person is gone): one Core
        query a table, each row made into a domain object the session does not track."""
        assert case.id is not None
        keys = {"person": case.person_id, "case": case.id}
        connection = self._uow.connection()
        made = [
            [_made(cls, table, row) for row in connection.execute(query, keys).mappings()]
            for (cls, table, _), query in zip(_RECORDS_OF, _record_queries(), strict=True)
        ]
        if len(made[0]) != 1:
            return None
        person = made[0][0]
        details = len(PERSON_DETAILS) + 1
        for (name, _, _), rows in zip(PERSON_DETAILS, made[1:details], strict=True):
            setattr(person, name, rows)
        decisions, consents, notices, fear_claims = made[details:]
        return EngineRecords(person, decisions, consents, notices, fear_claims)

    def add_decision(self, decision: Decision) -> None:
        """Store a state's decision on a case; it has its id afterwards."""
        self._added(decision)

    def add_consent_hearing(self, hearing: ConsentVerification) -> None:
        """Store the record of a consent verification hearing; it has its id afterwards."""
        self._added(hearing)

    def add_notice(self, notice: Notice) -> None:
        """Store a notice served on the person; it has its id afterwards."""
        self._added(notice)

    def add_fear_claim(self, claim: FearClaim) -> None:
        """Store a fear claim; it has its id afterwards."""
        self._added(claim)

    def fear_claim(self, claim_id: int) -> FearClaim | None:
        """The fear claim, or None; a change to it is stored with `update_fear_claim`."""
        return self._uow.session.get(FearClaim, claim_id)

    def update_fear_claim(self, claim: FearClaim) -> None:
        """Store the changes made to the fear claim now."""
        self._uow.session.flush()

    def add_assessment(self, assessment: Assessment) -> None:
        """Store an assessment; it has its id afterwards."""
        self._added(assessment)

    def assessment(self, assessment_id: int) -> Assessment | None:
        """The stored assessment, or None."""
        return self._uow.session.get(Assessment, assessment_id)

    def preparers(self, case_id: int, event: str) -> set[int]:
        """Every user who, by the record, recorded this event on the case."""
        found = self._uow.session.scalars(_PREPARERS, {"case": str(case_id), "event": event})
        return {actor for actor in found if actor is not None}

    def timeline(self, case_id: int) -> list[TimelineEntry]:
        """The recorded events of the case, oldest first."""
        rows = self._uow.session.execute(_TIMELINE, {"case": str(case_id)})
        return [TimelineEntry(**row._asdict()) for row in rows]

    def last_consent_hearing(self, case_id: int) -> ConsentVerification | None:
        """The latest consent verification hearing recorded on the case, or None."""
        hearings = t.consent_verifications.c
        query = (
            select(ConsentVerification)
            .where(hearings.case_id == case_id)
            .order_by(hearings.id.desc())
            .limit(1)
        )
        return self._uow.session.scalars(query).first()

    def _added(self, record: object) -> None:
        session = self._uow.session
        session.add(record)
        session.flush()

    def open_with_documents(
        self, closed: Collection[CaseState], involving: str | None = None
    ) -> OpenCases:
        """Every case in none of the closed states (from or to the state `involving`, where
        given), in the order of their ids, with the document of its latest assessment (read
        in columns: the impact of an amendment reads 100,000 of them)."""
        c, a = t.cases.c, t.assessments.c
        query = (
            select(
                c.id,
                c.reference,
                c.from_state,
                c.to_state,
                # As the driver gives it, made UTC days all at once below: the column's own
                # type would convert each of 100,000 moments in Python.
                type_coerce(c.departure_at, DateTime(timezone=True)),
                cast(a.document, Text),
            )
            .outerjoin(t.assessments, a.id == _latest_assessment())
            .where(c.state.not_in([state.value for state in closed]))
            .order_by(c.id)
        )
        if involving is not None:
            query = query.where(or_(c.from_state == involving, c.to_state == involving))
        rows = self._uow.session.execute(query).all()
        ids, references, senders, receivers, departures, documents = (
            [row[i] for row in rows] for i in range(6)
        )
        # A moment without a zone (SQLite) is UTC, as stored; one with a zone is converted.
        days = pl.Series(departures, dtype=pl.Datetime("us", "UTC")).dt.date().to_list()
        return OpenCases(ids, references, senders, receivers, days, documents)

    def open_among(self, case_ids: Collection[int], closed: Collection[CaseState]) -> set[int]:
        """Those of the cases that are in none of the closed states."""
        if not case_ids:
            return set()
        c = t.cases.c
        query = select(c.id).where(
            c.id.in_(sorted(case_ids)), c.state.not_in([state.value for state in closed])
        )
        return set(self._uow.session.scalars(query))


def _latest_assessment() -> ScalarSelect[Any]:
    """The id of a case's latest assessment, found by the case (its index on case_id): a
    correlated subquery reads the cases in order, where grouping every assessment first took
    twice as long (SQLite, 100,000 cases)."""
    a = t.assessments.c
    return (
        select(func.max(a.id)).where(a.case_id == t.cases.c.id).correlate(t.cases).scalar_subquery()
    )


_BY_REFERENCE = select(t.cases.c.id).where(t.cases.c.reference == bindparam("reference"))
_CASE_EVENTS = (t.events.c.subject_type == "case", t.events.c.subject_id == bindparam("case"))
_PREPARERS = select(t.events.c.actor_id).where(
    *_CASE_EVENTS, t.events.c.command == bindparam("event")
)
_TIMELINE = (
    select(*(t.events.c[f.name] for f in dataclasses.fields(TimelineEntry)))
    .where(*_CASE_EVENTS)
    .order_by(t.events.c.id)
)

# What engine_records reads, in this order: the person, the person's details, the case's own
# records, and the fear claims raised on any of the person's cases (fear is of a country: a
# claim counts for every case to that country).
_PERSON: BindParameter[Any] = bindparam("person")
_RECORDS_OF: tuple[tuple[type[Any], Table, ColumnElement[bool]], ...] = (
    (Person, t.people, t.people.c.id == _PERSON),
    *((cls, table, table.c.person_id == _PERSON) for _, cls, table in PERSON_DETAILS),
    (Decision, t.decisions, t.decisions.c.case_id == bindparam("case")),
    (
        ConsentVerification,
        t.consent_verifications,
        t.consent_verifications.c.case_id == bindparam("case"),
    ),
    (Notice, t.notices, t.notices.c.case_id == bindparam("case")),
    (
        FearClaim,
        t.fear_claims,
        t.fear_claims.c.case_id.in_(select(t.cases.c.id).where(t.cases.c.person_id == _PERSON)),
    ),
)


@functools.cache
def _record_queries() -> tuple[Select[Any], ...]:
    return tuple(
        select(table).where(condition).order_by(table.c.id) for _, table, condition in _RECORDS_OF
    )


@functools.cache
def _columns(cls: type[Any], table: Table) -> tuple[str, ...]:
    # The class's fields that are columns (a detail's person_id is not one of its fields).
    return tuple(f.name for f in dataclasses.fields(cls) if f.name in table.c)


def _made(cls: type[T], table: Table, row: RowMapping) -> T:
    return cls(**{name: row[name] for name in _columns(cls, table)})  # type: ignore[arg-type]
