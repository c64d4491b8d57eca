"""The header's search: a case reference, a name or an identifier, among what the user's
state may see (the same rules as the case and people lists: domain/access.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from repatria.domain.access import scope_of
from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.people import Person
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
    scope = scope_of(principal)
    people = uow.views.people_matching(scope, words, text.strip(), MOST)
    person_ids = [p.id for p in people if p.id is not None]
    cases = uow.views.cases_matching(scope, text.strip(), person_ids, MOST)
    return Found(cases, people)
