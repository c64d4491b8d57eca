"""Custody follows the person across installations: from the confirmed arrival the receiving
state holds them, in the receiving state's record (at its own confirmation) and in the sending
state's (when the confirmation arrives)."""

from __future__ import annotations

from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.services import people
from repatria.services.unit_of_work import UnitOfWork


def passes(uow: UnitOfWork, principal: Principal, case: Case, legal_basis: str) -> None:
    """From the confirmed arrival the receiving state holds the person, on both sides."""
    people.custody_passes(
        uow,
        principal,
        case.person_id,
        case.to_state,
        reason=f"arrival of {case.reference} confirmed",
        legal_basis=legal_basis,
        states=list(case.states_involved),
    )
