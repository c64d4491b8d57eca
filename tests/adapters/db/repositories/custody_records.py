"""What the movements, facilities and contracts repositories' tests store, each record through
its own repository: people, their cases, a facility with its cells, custody contracts, stays
and movements."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from repatria.domain.cases import Case, CaseState
from repatria.domain.contracts import ContractRecord
from repatria.domain.money import FeeBasis
from repatria.domain.movements import Movement, MovementState
from repatria.domain.people import Person
from repatria.domain.places import CellRecord, FacilityRecord, StayRecord, UnitRecord
from repatria.services.unit_of_work import UnitOfWork

MOMENT = datetime(2025, 4, 11, 12, 0, tzinfo=UTC)


def person(uow: UnitOfWork, family_name: str, held_by: str = "US") -> int:
    """A person held by a state; their id."""
    someone = Person(
        family_name=family_name,
        given_names="Julio",
        birth_date=date(1984, 2, 10),
        held_by_state=held_by,
        created_at=MOMENT,
        updated_at=MOMENT,
    )
    uow.people.add(someone)
    assert someone.id is not None
    return someone.id


def case(
    uow: UnitOfWork, person_id: int, reference: str, to_state: str = "SV", *, at: CaseState
) -> Case:
    """A custody-agreement case of the person, from the US, at a stage."""
    opened = Case(
        person_id=person_id,
        authority="custody-agreement",
        from_state="US",
        to_state=to_state,
        state=at,
        opened_by=None,
        opened_at=MOMENT,
        updated_at=MOMENT,
        reference=reference,
    )
    uow.cases.add(opened)
    return opened


def facility(uow: UnitOfWork, code: str, state: str = "SV") -> tuple[FacilityRecord, list[int]]:
    """A facility run by a state with two units (B then A by entry) of two cells each: the
    facility and its cells' ids, unit A's first."""
    stored = FacilityRecord(
        code=code, name=code, state=state, standard="cpt", created_at=MOMENT, updated_at=MOMENT
    )
    uow.facilities.add(stored)
    assert stored.id is not None
    for unit_code in ("B", "A"):
        unit = UnitRecord(facility_id=stored.id, code=unit_code, name=f"Unit {unit_code}")
        uow.facilities.add_unit(unit)
        assert unit.id is not None
        uow.facilities.add_cells(
            CellRecord(
                unit_id=unit.id,
                code=f"{unit_code}-{number}",
                floor_area_m2=Decimal(20),
                sanitary_area_m2=Decimal(2),
                beds=4,
                security_level="max",
            )
            for number in (1, 2)
        )
    units = uow.facilities.units(stored.id)
    cells = uow.facilities.cells(u.id for u in units)
    return stored, [c.id for c in cells if c.id is not None]


def contract(
    uow: UnitOfWork,
    reference: str,
    starts_on: date,
    ends_on: date,
    *,
    payer: str = "US",
    host: str = "SV",
    facility_id: int | None = None,
) -> ContractRecord:
    """A custody contract between a paying and a host state."""
    stored = ContractRecord(
        reference=reference,
        payer_state=payer,
        host_state=host,
        fee_basis=FeeBasis.PER_PERSON_DAY,
        fee=Decimal("35.00"),
        currency="USD",
        starts_on=starts_on,
        ends_on=ends_on,
        funding_source="test",
        created_at=MOMENT,
        updated_at=MOMENT,
        facility_id=facility_id,
    )
    uow.contracts.add(stored)
    return stored


def stay(
    person_id: int,
    cell_id: int,
    arrival: date,
    release: date | None = None,
    contract_id: int | None = None,
) -> StayRecord:
    """A stay, not yet stored."""
    return StayRecord(
        person_id=person_id,
        cell_id=cell_id,
        arrival=arrival,
        release=release,
        contract_id=contract_id,
        security_level="max",
        placed_at=MOMENT,
    )


def movement(
    uow: UnitOfWork,
    sequence: int,
    *,
    from_state: str = "US",
    to_state: str = "SV",
    authority: str = "custody-agreement",
    state: MovementState = MovementState.PLANNED,
) -> Movement:
    """A movement between two states, stored."""
    stored = Movement(
        authority=authority,
        from_state=from_state,
        to_state=to_state,
        sequence=sequence,
        seats=10,
        planned_departure=MOMENT,
        state=state,
        created_by=None,
        created_at=MOMENT,
        updated_at=MOMENT,
    )
    uow.movements.add(stored)
    return stored
