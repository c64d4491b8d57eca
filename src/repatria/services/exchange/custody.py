"""Custody follows the person across installations: from the confirmed arrival the receiving
state holds them, in the receiving state's record (at its own confirmation) and in the sending
state's (when the confirmation arrives)."""

from __future__ import annotations

from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.people import Person
from repatria.services.unit_of_work import UnitOfWork, utcnow


def passes(uow: UnitOfWork, principal: Principal, case: Case, legal_basis: str) -> None:
    """From the confirmed arrival the receiving state holds the person, on both sides."""
    person = uow.session.get(Person, case.person_id)
    if person is None or person.held_by_state == case.to_state:
        return
    before = {"held_by_state": person.held_by_state}
    person.held_by_state = case.to_state
    person.updated_at = utcnow()
    uow.session.flush()
    uow.record(
        principal,
        "CustodyTransferred",
        "person",
        person.id,
        before=before,
        after={"held_by_state": case.to_state},
        reason=f"arrival of {case.reference} confirmed",
        legal_basis=legal_basis,
        states=list(case.states_involved),
    )
