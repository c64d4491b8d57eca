"""The database facts a custody-agreement assessment needs: a contract, its cap, a free place.

The engine decides CONTRACT and CAPACITY from `ContextFacts`; on a document alone they stay
unknown. Here they are read from what is stored, as of the document's date:

* `contract_in_force`: a custody contract between the sending (paying) and the host state
  covers the date;
* `contract_has_room`: one of those contracts has admitted fewer distinct people than its cap
  (the person assessed does not count against the cap twice);
* `standard_place_available`: a cell at the contract's facility (or, with no facility named,
  at any facility the host runs) holds fewer people that day than the placement limit under
  the facility's chosen space standard, or the person already has a place there. Unknown
  when the host has no facility on record.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from repatria.domain.contracts import ContractRecord
from repatria.domain.facilities import placement_limit
from repatria.law.catalog import load_catalog
from repatria.law.document import AssessmentDocument, parse_document
from repatria.law.errors import InvalidDocument
from repatria.law.facts import ContextFacts
from repatria.services import contracts, facilities
from repatria.services.unit_of_work import UnitOfWork


def context_facts(
    uow: UnitOfWork, document: dict[str, Any], case_id: int | None = None
) -> ContextFacts | None:
    """The facts for a custody-agreement document (None for any other authority)."""
    try:
        parsed = parse_document(document)
    except InvalidDocument:
        return None  # the assessment itself will name the field
    return context_facts_of(uow, parsed, case_id)


def context_facts_of(
    uow: UnitOfWork, parsed: AssessmentDocument, case_id: int | None = None
) -> ContextFacts | None:
    """The same, for a document already parsed."""
    authority = load_catalog().authorities.get(parsed.authority)
    if authority is None or authority.kind != "custody":
        return None
    person_id = None
    if case_id is not None:
        case = uow.cases.get(case_id)
        person_id = case.person_id if case is not None else None
    return facts_for(uow, parsed.from_state, parsed.to_state, parsed.as_of, person_id)


def facts_for(
    uow: UnitOfWork, payer: str, host: str, on: date, person_id: int | None
) -> ContextFacts:
    """Contract in force, room under its cap, and a standard-compliant place, on a day."""
    in_force = uow.contracts.in_force(payer, host, on)
    with_room = [c for c in in_force if _has_room(uow, c, person_id)]
    chosen = with_room or in_force
    return ContextFacts(
        contract_in_force=bool(in_force),
        contract_has_room=bool(with_room) if in_force else None,
        standard_place_available=_place_available(uow, host, chosen, on, person_id),
    )


def _has_room(uow: UnitOfWork, contract: ContractRecord, person_id: int | None) -> bool:
    if contract.cap_people is None:
        return True
    return contracts.admitted(uow, contract, besides=person_id) < contract.cap_people


def _place_available(
    uow: UnitOfWork, host: str, chosen: list[ContractRecord], on: date, person_id: int | None
) -> bool | None:
    named = {c.facility_id for c in chosen if c.facility_id is not None}
    among = named if named and all(c.facility_id is not None for c in chosen) else None
    places = uow.facilities.run_by(host, among)
    if not places:
        return None
    for facility in places:
        stays = [s for s in facilities.stays_in(uow, facility) if s.held_on(on)]
        if person_id is not None and any(s.person_id == person_id for s in stays):
            return True
        held: dict[int, int] = {}
        for stay in stays:
            held[stay.cell_id] = held.get(stay.cell_id, 0) + 1
        standard = facilities.standard_of(facility, None, on)
        _, cells = facilities.structure(uow, facility)
        if any(held.get(c.id or 0, 0) < placement_limit(c.as_cell(), standard) for c in cells):
            return True
    return False


def stored(facts: ContextFacts | None) -> dict[str, Any] | None:
    """The facts as kept beside an assessment, so that a replay uses them again."""
    return None if facts is None else asdict(facts)


def restored(kept: dict[str, Any] | None) -> ContextFacts | None:
    """The facts kept beside an assessment."""
    return None if kept is None else ContextFacts(**kept)
