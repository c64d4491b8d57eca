"""The movements repository on SQLite and PostgreSQL: sequence numbers per authority and pair of
states, the movements a state sees, a manifest with and without those taken off, who is on the
way to a state, and a movement changed meanwhile refused as a Conflict."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from repatria.adapters.db import tables as t
from repatria.adapters.db.unit_of_work import SqlUnitOfWork
from repatria.bootstrap import Container
from repatria.domain.cases import CaseState
from repatria.domain.errors import Conflict
from repatria.domain.movements import ManifestEntry, MovementState
from tests.adapters.db.repositories.custody_records import MOMENT, case, movement, person


def test_the_last_sequence_number_is_counted_per_authority_and_pair_of_states(
    container: Container,
) -> None:
    with container.uow() as uow:
        for sequence, to_state in ((1, "SV"), (4, "SV"), (7, "GT")):
            movement(uow, sequence, to_state=to_state)
        movement(uow, 9, to_state="SV", authority="us-removal")
        uow.commit()
    with container.uow() as uow:
        assert uow.movements.last_sequence("custody-agreement", "US", "SV") == 4
        assert uow.movements.last_sequence("custody-agreement", "US", "GT") == 7
        assert uow.movements.last_sequence("us-removal", "US", "SV") == 9
        assert uow.movements.last_sequence("custody-agreement", "SV", "US") is None


def test_a_page_of_movements_is_newest_first_counted_and_kept_to_a_states_own(
    container: Container,
) -> None:
    with container.uow() as uow:
        ids = [
            movement(uow, 1, to_state="SV").id,
            movement(uow, 1, to_state="GT").id,
            movement(uow, 1, from_state="MX", to_state="SV").id,
        ]
        uow.commit()
    with container.uow() as uow:
        first, total = uow.movements.page(None, limit=2, offset=0)
        assert ([m.id for m in first], total) == ([ids[2], ids[1]], 3)
        second, total = uow.movements.page(None, limit=2, offset=2)
        assert ([m.id for m in second], total) == ([ids[0]], 3)
        salvador, total = uow.movements.page("SV", limit=10, offset=0)
        assert ([m.id for m in salvador], total) == ([ids[2], ids[0]], 2)
        assert uow.movements.page("FR", limit=10, offset=0) == ([], 0)


def test_a_manifest_is_in_the_order_added_and_leaves_out_those_taken_off_when_asked(
    container: Container,
) -> None:
    with container.uow() as uow:
        batch = movement(uow, 1)
        assert batch.id is not None
        entries = []
        for number in range(3):
            held = case(uow, person(uow, f"P{number}"), f"C-{number}", at=CaseState.SCHEDULED)
            assert held.id is not None
            entry = ManifestEntry(movement_id=batch.id, case_id=held.id, added_at=MOMENT)
            uow.movements.add_entry(entry)
            entries.append(entry.id)
        uow.commit()
    with container.uow() as uow:
        taken_off = uow.movements.manifest(batch.id)[1]
        taken_off.removed_at, taken_off.removed_reason = MOMENT, "a new hold"
        uow.commit()
    with container.uow() as uow:
        assert [e.id for e in uow.movements.manifest(batch.id)] == entries
        aboard = uow.movements.manifest(batch.id, on_board_only=True)
        assert [e.id for e in aboard] == [entries[0], entries[2]]
        assert uow.movements.manifest(batch.id + 1) == []


def test_those_on_the_way_to_a_state_are_aboard_a_movement_there_that_has_not_arrived(
    container: Container,
) -> None:
    with container.uow() as uow:
        planned, arrived = movement(uow, 1), movement(uow, 2, state=MovementState.ARRIVED)
        departed = movement(uow, 3, state=MovementState.DEPARTED)
        elsewhere = movement(uow, 1, to_state="GT")
        aboard, flying = person(uow, "Aboard"), person(uow, "Flying")
        placed = [
            (planned, aboard, None),
            (planned, person(uow, "Came off"), MOMENT),
            (arrived, person(uow, "Already there"), None),
            (departed, flying, None),
            (elsewhere, person(uow, "To Guatemala"), None),
        ]
        for number, (batch, person_id, removed_at) in enumerate(placed):
            held = case(uow, person_id, f"C-{number}", batch.to_state, at=CaseState.SCHEDULED)
            assert batch.id is not None and held.id is not None
            entry = ManifestEntry(
                movement_id=batch.id, case_id=held.id, added_at=MOMENT, removed_at=removed_at
            )
            uow.movements.add_entry(entry)
        uow.commit()
    with container.uow() as uow:
        on_the_way = sorted(uow.movements.in_flight_to("SV"), key=lambda w: w.person_id)
    assert [(w.person_id, w.from_state) for w in on_the_way] == [(aboard, "US"), (flying, "US")]
    assert all(w.planned_departure == MOMENT for w in on_the_way)


def test_a_movement_changed_by_someone_else_since_it_was_read_is_a_conflict(
    container: Container,
) -> None:
    with container.uow() as uow:
        batch = movement(uow, 1)
        uow.commit()
    assert batch.id is not None
    with container.uow() as uow:
        read = uow.movements.get(batch.id)
        assert read is not None and read.version == 1
        assert isinstance(uow, SqlUnitOfWork)
        uow.session.execute(  # another writer's change, behind this unit's back
            update(t.movements).where(t.movements.c.id == batch.id).values(version=2)
        )
        read.state = MovementState.MANIFEST_LOCKED
        with pytest.raises(Conflict):
            uow.movements.update(read)
    with container.uow() as uow:
        stored = uow.movements.get(batch.id)
        assert stored is not None and stored.state is MovementState.PLANNED
