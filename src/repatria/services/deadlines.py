"""Time limits held as dated law data, shown on each case and listed when they are missed.

The engine derives the dates (a parameter with `deadline_from` in an authority's data, such as
the EU framework decision's 90 days to decide and 30 days to transfer); this module says which
step of the lifecycle meets each one and which cases are late on a given day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from repatria.domain.access import scope_of
from repatria.domain.accounts import Principal
from repatria.domain.cases import Case, CaseState
from repatria.law.catalog import load_catalog
from repatria.services import assessments, case_documents, cases
from repatria.services.case_documents import build_document
from repatria.services.unit_of_work import UnitOfWork

S = CaseState
# The states in which each time limit has been met: a decision is taken once the receiving
# (executing) state has decided; a transfer once the person has left.
MET_IN: dict[str, frozenset[CaseState]] = {
    "decision_days": frozenset(
        {S.CONSENT_VERIFICATION, S.APPROVED, S.SCHEDULED, S.IN_TRANSIT, S.COMPLETED, S.DENIED}
    ),
    "transfer_days": frozenset({S.IN_TRANSIT, S.COMPLETED}),
}
# A closed case is late for nothing.
CLOSED = frozenset({S.COMPLETED, S.INELIGIBLE, S.DENIED, S.WITHDRAWN, S.CANCELLED})
LABELS = {"decision_days": "decision", "transfer_days": "transfer"}


@dataclass(frozen=True)
class Deadline:
    """One time limit on one case, as of a day."""

    case_id: int
    reference: str
    authority: str
    name: str
    due_on: date
    met: bool
    days_late: int  # 0 unless missed and still open
    citation: str

    @property
    def label(self) -> str:
        """What must happen by the date, in words."""
        return LABELS.get(self.name, self.name.removesuffix("_days"))


def _citation(authority: str, name: str) -> str:
    parameter = load_catalog().authorities[authority].parameters[name]
    return parameter.values[-1].citation.render()


def _authorities_with_deadlines() -> list[str]:
    catalog = load_catalog()
    return [
        authority_id
        for authority_id, authority in catalog.authorities.items()
        if any(p.deadline_from for p in authority.parameters.values())
    ]


def of_case(uow: UnitOfWork, case: Case, on: date) -> list[Deadline]:
    """The time limits that apply to a case, computed by the engine as of a day."""
    if case.authority not in _authorities_with_deadlines():
        return []
    assert case.id is not None
    document = build_document(case_documents.load_records(uow, case), on)
    due = assessments.evaluate(document).get("deadlines", {})
    found = []
    for name, due_on in sorted(due.items()):
        when = date.fromisoformat(due_on)
        met = case.state in MET_IN.get(name, frozenset())
        late = 0 if met or case.state in CLOSED or when >= on else (on - when).days
        found.append(
            Deadline(
                case.id,
                case.reference,
                case.authority,
                name,
                when,
                met,
                late,
                _citation(case.authority, name),
            )
        )
    return found


def for_case(uow: UnitOfWork, principal: Principal, case_id: int, on: date) -> list[Deadline]:
    """The time limits of a case in the principal's scope (404 otherwise)."""
    return of_case(uow, cases.get_or_raise(uow, principal, case_id), on)


def overdue(uow: UnitOfWork, principal: Principal, on: date) -> list[Deadline]:
    """Every missed time limit of an open case in the principal's scope, most late first."""
    found = uow.views.open_cases(
        scope_of(principal), closed=CLOSED, authorities=_authorities_with_deadlines()
    )
    late = [d for case in found for d in of_case(uow, case, on) if d.days_late]
    return sorted(late, key=lambda d: (-d.days_late, d.case_id, d.name))
