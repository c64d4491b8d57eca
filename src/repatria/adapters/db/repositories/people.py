"""The people repository on SQLAlchemy (services/ports/people.py)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, or_, select, tuple_

from repatria.adapters.db import tables as t
from repatria.domain.people import Person
from repatria.services.ports.people import PeopleFilter, SentenceTerm

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork


class SqlPeople:
    """People in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def get(self, person_id: int, *, seen_by: str | None = None) -> Person | None:
        """The person, if `seen_by` sees them (None: whoever asks); otherwise None."""
        if seen_by is None:
            return self._uow.session.get(Person, person_id)
        query = _seen_by(seen_by, select(Person).where(t.people.c.id == person_id))
        found: Person | None = self._uow.session.scalar(query)
        return found

    def add(self, person: Person) -> None:
        """Store a new person with their details; they have their ids afterwards."""
        session = self._uow.session
        session.add(person)
        session.flush()

    def update(self, person: Person) -> None:
        """Store the changes to the person and their details now; Conflict if someone else did."""
        self._uow.session.flush()

    def holder_of(self, scheme: str, value: str) -> int | None:
        """The id of the person this identifier belongs to, or None."""
        query = select(t.identifiers.c.person_id).where(
            t.identifiers.c.scheme == scheme, t.identifiers.c.value == value
        )
        holder: int | None = self._uow.session.scalar(query.limit(1))
        return holder

    def page(self, which: PeopleFilter, *, limit: int, offset: int) -> tuple[list[Person], int]:
        """A page of the people, by id, and how many there are across every page."""
        query = select(Person)
        if which.seen_by is not None:
            query = _seen_by(which.seen_by, query)
        if which.citizenship:
            holders = select(t.citizenships.c.person_id).where(
                t.citizenships.c.country == which.citizenship.upper()
            )
            query = query.where(t.people.c.id.in_(holders))
        if which.held_by_state:
            query = query.where(t.people.c.held_by_state == which.held_by_state.upper())
        if which.name:
            # autoescape: % and _ in the name are matched as themselves (LIKE … ESCAPE '/')
            part = which.name.lower()
            query = query.where(
                or_(
                    func.lower(t.people.c.family_name).contains(part, autoescape=True),
                    func.lower(t.people.c.given_names).contains(part, autoescape=True),
                )
            )
        session = self._uow.session
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = session.scalars(query.order_by(t.people.c.id).limit(limit).offset(offset))
        return list(items), total

    def identifiers_held(self, identifiers: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (scheme, value) identifiers someone already carries."""
        wanted = sorted(set(identifiers))
        pair = tuple_(t.identifiers.c.scheme, t.identifiers.c.value)
        found: set[tuple[str, str]] = set()
        for start in range(0, len(wanted), 500):  # bound parameters stay within limits
            query = select(t.identifiers.c.scheme, t.identifiers.c.value).where(
                pair.in_(wanted[start : start + 500])
            )
            found.update((scheme, value) for scheme, value in self._uow.session.execute(query))
        return found

    def sentence_terms(self, person_ids: Collection[int]) -> list[SentenceTerm]:
        """The terms of these people's sentences, in the order they were recorded."""
        sentences = t.sentences.c
        rows = self._uow.session.execute(
            select(sentences.person_id, sentences.start_date, sentences.length_days)
            .add_columns(sentences.credit_days, sentences.indeterminate)
            .where(sentences.person_id.in_(person_ids))
            .order_by(sentences.id)
        )
        return [SentenceTerm(*row) for row in rows]


def _seen_by(state: str, query: Select[Any]) -> Select[Any]:
    """Restrict a query of people to those the state holds or has a case about."""
    involved = select(t.cases.c.person_id).where(
        or_(t.cases.c.from_state == state, t.cases.c.to_state == state)
    )
    return query.where(or_(t.people.c.held_by_state == state, t.people.c.id.in_(involved)))
