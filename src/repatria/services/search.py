"""The header's search: a case reference, a name or an identifier, among what the user's
state may see (the same rules as the case and people lists: domain/access.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select

from repatria.adapters.db import tables as t
from repatria.domain.access import sees_everything
from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.people import Person
from repatria.services.people import _visible as visible_people
from repatria.services.unit_of_work import UnitOfWork

MOST = 25  # per kind; the lists page further


@dataclass
class Found:
    """What a search found: cases and people, each list at most MOST long."""

    cases: list[Case] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    @property
    def only(self) -> str | None:
        """The page of the one thing found, if exactly one was."""
        if len(self.cases) + len(self.people) != 1:
            return None
        if self.cases:
            return f"/cases/{self.cases[0].id}"
        return f"/people/{self.people[0].id}"


def search(uow: UnitOfWork, principal: Principal, text: str) -> Found:
    """Cases whose reference contains the text, and people whose names contain every word of
    it or who carry it as an identifier, with the cases of those people."""
    words = text.lower().split()
    if not words:
        return Found()
    people_query = visible_people(principal, select(Person))
    by_identifier = select(t.identifiers.c.person_id).where(
        func.lower(t.identifiers.c.value) == text.strip().lower()
    )
    named = [
        or_(
            func.lower(t.people.c.family_name).contains(word, autoescape=True),
            func.lower(t.people.c.given_names).contains(word, autoescape=True),
        )
        for word in words
    ]
    people_query = people_query.where(or_(t.people.c.id.in_(by_identifier), and_(*named)))
    people = list(uow.session.scalars(people_query.order_by(t.people.c.family_name).limit(MOST)))
    case_query = select(Case).where(
        or_(
            func.lower(t.cases.c.reference).contains(text.strip().lower(), autoescape=True),
            t.cases.c.person_id.in_([p.id for p in people]),
        )
    )
    if not sees_everything(principal):
        state = principal.state
        case_query = case_query.where(
            or_(t.cases.c.from_state == state, t.cases.c.to_state == state)
        )
    cases = list(uow.session.scalars(case_query.order_by(t.cases.c.id.desc()).limit(MOST)))
    return Found(cases, people)
