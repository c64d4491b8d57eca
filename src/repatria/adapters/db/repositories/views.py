"""The views repository on SQLAlchemy (services/ports/views.py): the pages' read models."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    cast,
    extract,
    func,
    or_,
    select,
)

from repatria.adapters.db import tables as t
from repatria.adapters.db.repositories.people import _seen_by as seen_by
from repatria.domain.accounts import User
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case, CaseState
from repatria.domain.movements import Movement, MovementState
from repatria.domain.people import Person
from repatria.services.ports.views import CheckpointView, EventLine, EventMark, PublicCount

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork


class SqlViews:
    """The pages' read models in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def latest_assessment(self, case_id: int) -> Assessment | None:
        """The most recent stored assessment of a case."""
        query = (
            select(Assessment)
            .where(t.assessments.c.case_id == case_id)
            .order_by(t.assessments.c.id.desc())
            .limit(1)
        )
        return self._uow.session.scalar(query)

    def users(self, ids: Collection[int]) -> list[User]:
        """The users with these ids (those that exist)."""
        if not ids:
            return []
        return list(self._uow.session.scalars(select(User).where(t.users.c.id.in_(ids))))

    def people(self, ids: Collection[int]) -> list[Person]:
        """The people with these ids (those that exist)."""
        if not ids:
            return []
        return list(self._uow.session.scalars(select(Person).where(t.people.c.id.in_(ids))))

    def latest_checkpoint(self) -> CheckpointView | None:
        """The newest signed checkpoint."""
        return _checkpoint(self._uow.session.execute(_LATEST_CHECKPOINT).first())

    def covering_checkpoint(self, seq: int) -> CheckpointView | None:
        """The first checkpoint whose tree includes the event at position seq."""
        row = self._uow.session.execute(_COVERING_CHECKPOINT, {"seq": seq}).first()
        return _checkpoint(row)

    def last_event(self, subject_type: str, subject_id: int) -> EventMark | None:
        """The newest event recorded about a subject."""
        key = {"subject_type": subject_type, "subject_id": str(subject_id)}
        row = self._uow.session.execute(_LAST_EVENT, key).first()
        return None if row is None else EventMark(row.id, row.seq, row.command)

    def events(
        self,
        scope: str | None,
        *,
        limit: int,
        offset: int = 0,
        command: str | None = None,
        subject_type: str | None = None,
    ) -> list[EventLine]:
        """Events that name the scope's state (every event for None), newest first, filtered."""
        query = _filtered(_EVENT_LINES, scope, command, subject_type)
        query = query.order_by(t.events.c.seq.desc()).limit(limit).offset(offset)
        return [EventLine(*row) for row in self._uow.session.execute(query)]

    def count_events(
        self, scope: str | None, *, command: str | None = None, subject_type: str | None = None
    ) -> int:
        """How many events `events` would list without a limit."""
        query = _filtered(select(func.count()).select_from(t.events), scope, command, subject_type)
        return int(self._uow.session.scalar(query) or 0)

    def event_kinds(self) -> tuple[list[str], list[str]]:
        """The commands and the kinds of subject the record holds, each sorted."""
        session = self._uow.session
        return list(session.scalars(_COMMANDS)), list(session.scalars(_SUBJECT_TYPES))

    def open_cases(
        self,
        scope: str | None,
        *,
        closed: Collection[CaseState],
        authorities: Collection[str] | None = None,
        untouched_since: datetime | None = None,
    ) -> Iterator[Case]:
        """Cases in scope in none of the closed states, least recently updated first; only
        under the authorities given, or only those last updated before a moment."""
        query = select(Case).where(t.cases.c.state.not_in(sorted(closed)))
        if authorities is not None:
            query = query.where(t.cases.c.authority.in_(sorted(authorities)))
        if untouched_since is not None:
            query = query.where(t.cases.c.updated_at < untouched_since)
        query = _cases_in(scope, query).order_by(t.cases.c.updated_at)
        yield from self._uow.session.scalars(query)

    def departed_to(self, state: str) -> list[Movement]:
        """Movements that left for the state and have not yet arrived, oldest first."""
        query = select(Movement).where(
            t.movements.c.state == MovementState.DEPARTED, t.movements.c.to_state == state
        )
        return list(self._uow.session.scalars(query.order_by(t.movements.c.planned_departure)))

    def movements_between(
        self, scope: str | None, start: datetime, end: datetime
    ) -> list[Movement]:
        """Movements in scope planned to leave in [start, end), in order of departure."""
        departure = t.movements.c.planned_departure
        query = select(Movement).where(departure >= start, departure < end)
        if scope is not None:
            query = query.where(
                or_(t.movements.c.from_state == scope, t.movements.c.to_state == scope)
            )
        return list(self._uow.session.scalars(query.order_by(departure)))

    def cases_ready_for(
        self, scope: str | None, movement: Movement, states: Collection[CaseState]
    ) -> list[Case]:
        """Cases in scope under the movement's authority and between its states, in one of
        the given states, by id."""
        query = select(Case).where(
            t.cases.c.authority == movement.authority,
            t.cases.c.from_state == movement.from_state,
            t.cases.c.to_state == movement.to_state,
            t.cases.c.state.in_(sorted(states)),
        )
        return list(self._uow.session.scalars(_cases_in(scope, query).order_by(t.cases.c.id)))

    def people_matching(
        self, scope: str | None, words: list[str], identifier: str, most: int
    ) -> list[Person]:
        """People in scope who carry the identifier (any scheme, any case) or whose names
        contain every word (lower case), by family name, at most `most`."""
        carrying = select(t.identifiers.c.person_id).where(
            func.lower(t.identifiers.c.value) == identifier.lower()
        )
        named = [
            or_(
                func.lower(t.people.c.family_name).contains(word, autoescape=True),
                func.lower(t.people.c.given_names).contains(word, autoescape=True),
            )
            for word in words
        ]
        query = select(Person) if scope is None else seen_by(scope, select(Person))
        query = query.where(or_(t.people.c.id.in_(carrying), and_(*named)))
        query = query.order_by(t.people.c.family_name).limit(most)
        return list(self._uow.session.scalars(query))

    def cases_matching(
        self, scope: str | None, reference_part: str, person_ids: Collection[int], most: int
    ) -> list[Case]:
        """Cases in scope whose reference contains the text (any case) or that are about one
        of the people, newest first, at most `most`."""
        query = select(Case).where(
            or_(
                func.lower(t.cases.c.reference).contains(reference_part.lower(), autoescape=True),
                t.cases.c.person_id.in_(list(person_ids)),
            )
        )
        query = _cases_in(scope, query).order_by(t.cases.c.id.desc()).limit(most)
        return list(self._uow.session.scalars(query))

    def public_counts(self, moved: Collection[CaseState], arrival: str) -> list[PublicCount]:
        """People moved (cases in a moved state, by the year of their `arrival` event, else of
        their last update) and cases opened, by year, authority and pair of states; and people
        placed under a custody agreement, by the year their stay began, payer and host."""
        utc = self._uow.session.get_bind().dialect.name == "postgresql"
        arrived = (
            select(
                t.events.c.subject_id.label("case_key"),
                func.max(t.events.c.occurred_at).label("moved_at"),
            )
            .where(t.events.c.subject_type == "case", t.events.c.command == arrival)
            .group_by(t.events.c.subject_id)
            .subquery()
        )
        moved_year = _year(func.coalesce(arrived.c.moved_at, t.cases.c.updated_at), utc)
        moved_query = (
            select(moved_year, *_PAIR, func.count())
            .select_from(
                t.cases.outerjoin(arrived, arrived.c.case_key == cast(t.cases.c.id, String))
            )
            .where(t.cases.c.state.in_(sorted(moved)))
        )
        opened_year = _year(t.cases.c.opened_at, utc)
        opened_query = select(opened_year, *_PAIR, func.count())
        return (
            self._counts("moved", moved_query, moved_year)
            + self._counts("opened", opened_query, opened_year)
            + self._held()
        )

    def _counts(self, measure: str, query: Select[Any], year: Any) -> list[PublicCount]:
        grouped = query.group_by(year, *_PAIR).order_by(year, *_PAIR)
        return [
            PublicCount(
                measure=measure,
                year=int(found_year),
                authority=authority,
                from_state=from_state,
                to_state=to_state,
                count=int(count),
            )
            for found_year, authority, from_state, to_state, count in self._uow.session.execute(
                grouped
            )
        ]

    def _held(self) -> list[PublicCount]:
        # Each person once a year and pair of states, however often they moved cell.
        return [
            PublicCount(
                measure="held",
                year=int(found_year),
                authority="custody-agreement",
                from_state=payer,
                to_state=host,
                count=int(count),
            )
            for found_year, payer, host, count in self._uow.session.execute(_HELD)
        ]


def _checkpoint(row: Any) -> CheckpointView | None:
    if row is None:
        return None
    return CheckpointView(
        row.tree_size, row.root_hash.hex(), row.signed_at, row.key_id, row.signature.hex()
    )


def _naming(scope: str) -> ColumnElement[bool]:
    # states is stored as canonical JSON text, e.g. ["MX","US"].
    return cast(t.events.c.states, String).like(f'%"{scope}"%')


def _filtered(
    query: Select[Any], scope: str | None, command: str | None, subject_type: str | None
) -> Select[Any]:
    if scope is not None:
        query = query.where(_naming(scope))
    if command:
        query = query.where(t.events.c.command == command)
    if subject_type:
        query = query.where(t.events.c.subject_type == subject_type)
    return query


def _cases_in(scope: str | None, query: Select[Any]) -> Select[Any]:
    if scope is None:
        return query
    return query.where(or_(t.cases.c.from_state == scope, t.cases.c.to_state == scope))


def _year(column: Any, utc: bool) -> Any:
    # PostgreSQL would extract the year in the session's time zone; moments are UTC.
    if utc:
        column = func.timezone("UTC", column)
    return extract("year", column).label("year")


_PAIR = (t.cases.c.authority, t.cases.c.from_state, t.cases.c.to_state)
_LATEST_CHECKPOINT = (
    select(t.audit_checkpoints).order_by(t.audit_checkpoints.c.tree_size.desc()).limit(1)
)
_COVERING_CHECKPOINT = (
    select(t.audit_checkpoints)
    .where(t.audit_checkpoints.c.tree_size > bindparam("seq"))
    .order_by(t.audit_checkpoints.c.tree_size)
    .limit(1)
)
_LAST_EVENT = (
    select(t.events.c.id, t.events.c.seq, t.events.c.command)
    .where(
        t.events.c.subject_type == bindparam("subject_type"),
        t.events.c.subject_id == bindparam("subject_id"),
    )
    .order_by(t.events.c.seq.desc())
    .limit(1)
)
_EVENT_LINES = select(
    t.events.c.id,
    t.events.c.seq,
    t.events.c.command,
    t.events.c.subject_type,
    t.events.c.subject_id,
    t.events.c.occurred_at,
    t.events.c.recorded_at,
    t.events.c.actor,
    t.events.c.reason,
    t.events.c.legal_basis,
)
_COMMANDS = select(t.events.c.command).distinct().order_by(t.events.c.command)
_SUBJECT_TYPES = select(t.events.c.subject_type).distinct().order_by(t.events.c.subject_type)
_HELD_YEAR = extract("year", t.stays.c.arrival).label("year")
_HELD = (
    select(
        _HELD_YEAR,
        t.custody_contracts.c.payer_state,
        t.custody_contracts.c.host_state,
        func.count(func.distinct(t.stays.c.person_id)),
    )
    .select_from(
        t.stays.join(t.custody_contracts, t.stays.c.contract_id == t.custody_contracts.c.id)
    )
    .group_by(_HELD_YEAR, t.custody_contracts.c.payer_state, t.custody_contracts.c.host_state)
    .order_by(_HELD_YEAR, t.custody_contracts.c.payer_state, t.custody_contracts.c.host_state)
)
