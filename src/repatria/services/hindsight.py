"""A completed movement judged twice: by today's law, and by what Repatria knew on the day
it departed (the auditor's question: was it lawful by what was known then?)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from repatria.domain.cases import Case, CaseState
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.services import case_documents, custody, law_in_force
from repatria.services.unit_of_work import UnitOfWork

DONE = frozenset({CaseState.COMPLETED, CaseState.DELIVERED})


@dataclass(frozen=True)
class Hindsight:
    """The verdict as of the day of departure, under today's law and under the law known then."""

    departed_on: date
    today: dict[str, Any]
    then: dict[str, Any]

    @property
    def same(self) -> bool:
        """Whether what was known then and what is known now give the same answer."""
        return self.today["allowed"] == self.then["allowed"] and _grounds(self.today) == _grounds(
            self.then
        )


def _grounds(verdict: dict[str, Any]) -> list[str]:
    return sorted(
        {c["ground"] for c in verdict["checks"] if c["outcome"] not in ("pass", "waived")}
    )


def _departed_at(uow: UnitOfWork, case: Case) -> datetime | None:
    """When the movement that carried the case departed (the case's own time otherwise)."""
    assert case.id is not None
    return uow.movements.departure_of(case.id) or case.departure_at


def at_departure(uow: UnitOfWork, case: Case) -> Hindsight | None:
    """Both verdicts for a case whose movement is over (None for any other case)."""
    departed = _departed_at(uow, case) if case.state in DONE else None
    if departed is None:
        return None
    day = departed.date()
    document = case_documents.build_document(case_documents.load_records(uow, case), day)
    parsed = parse_document(document)
    facts = custody.context_facts_of(uow, parsed, case.id)
    today = assess(parsed, facts, law_in_force.catalog_of(uow)).to_json()
    then = assess(parsed, facts, law_in_force.catalog_of(uow, known_on=day)).to_json()
    return Hindsight(day, today, then)
