"""The facilities repository on SQLite and PostgreSQL: a facility by id and code, those a state
sees (the ones it runs and the ones it pays for custody in), units and cells in order, stays by
facility, and the people a facility may receive."""

from __future__ import annotations

from datetime import date

from repatria.bootstrap import Container
from repatria.domain.cases import CaseState
from tests.adapters.db.repositories.custody_records import case, contract, facility, person, stay

DAY = date(2025, 4, 11)


def test_a_facility_is_found_by_id_and_by_code(container: Container) -> None:
    with container.uow() as uow:
        stored, _ = facility(uow, "CECOT")
        uow.commit()
    assert stored.id is not None
    with container.uow() as uow:
        found = uow.facilities.get(stored.id)
        assert found is not None and found.code == "CECOT"
        assert uow.facilities.by_code("CECOT") is found
        assert uow.facilities.by_code("cecot") is None
        assert uow.facilities.get(stored.id + 1) is None


def test_a_state_sees_the_facilities_it_runs_and_those_it_pays_for_custody_in_by_code(
    container: Container,
) -> None:
    with container.uow() as uow:
        salvadoran, _ = facility(uow, "SV-2", "SV")
        facility(uow, "SV-1", "SV")
        facility(uow, "GT-1", "GT")
        contract(uow, "K-1", DAY, DAY, facility_id=salvadoran.id)
        uow.commit()
    with container.uow() as uow:
        assert [f.code for f in uow.facilities.seen_by(None)] == ["GT-1", "SV-1", "SV-2"]
        assert [f.code for f in uow.facilities.seen_by("SV")] == ["SV-1", "SV-2"]
        assert [f.code for f in uow.facilities.seen_by("US")] == ["SV-2"]
        assert uow.facilities.seen_by("MX") == []
        assert sorted(f.code for f in uow.facilities.run_by("SV")) == ["SV-1", "SV-2"]
        assert [f.code for f in uow.facilities.run_by("SV", {salvadoran.id or 0})] == ["SV-2"]
        assert (uow.facilities.count_run_by("SV"), uow.facilities.count_run_by("US")) == (2, 0)


def test_units_come_by_code_and_their_cells_by_unit_then_as_recorded(container: Container) -> None:
    with container.uow() as uow:
        stored, _ = facility(uow, "CECOT")
        uow.commit()
    assert stored.id is not None
    with container.uow() as uow:
        units = uow.facilities.units(stored.id)
        cells = uow.facilities.cells(u.id for u in units)
        assert [u.code for u in units] == ["A", "B"]
        # Unit B was recorded first: its cells come first by unit, each unit's as recorded.
        assert [c.code for c in cells] == ["B-1", "B-2", "A-1", "A-2"]
        assert all(c.unit_id == units[1].id for c in cells[:2])


def test_stays_are_those_in_the_facilitys_own_cells_and_a_release_is_written(
    container: Container,
) -> None:
    with container.uow() as uow:
        here, cells_here = facility(uow, "HERE")
        _, cells_elsewhere = facility(uow, "ELSEWHERE")
        held, moved_on = person(uow, "Held", "SV"), person(uow, "Elsewhere", "SV")
        uow.facilities.add_stays(
            [
                stay(held, cells_here[0], DAY),
                stay(moved_on, cells_elsewhere[0], DAY),
                stay(moved_on, cells_here[3], date(2025, 1, 2), date(2025, 2, 1)),
            ]
        )
        uow.commit()
    assert here.id is not None
    with container.uow() as uow:
        stays = uow.facilities.stays_in(here.id)
        assert [(s.person_id, s.cell_id) for s in stays] == [
            (held, cells_here[0]),
            (moved_on, cells_here[3]),
        ]
        assert stays[0].id is not None
        found = uow.facilities.stay(stays[0].id)
        assert found is stays[0]
        found.release = date(2025, 5, 1)
        uow.facilities.update_stay(found)
        uow.commit()
    with container.uow() as uow:
        released = uow.facilities.stay(stays[0].id)
        assert released is not None and released.release == date(2025, 5, 1)


def test_a_facility_may_receive_those_its_state_holds_in_no_cell_and_those_on_their_way(
    container: Container,
) -> None:
    with container.uow() as uow:
        _, cells = facility(uow, "CECOT")
        in_no_cell = person(uow, "In no cell", "SV")
        in_a_cell = person(uow, "In a cell", "SV")
        released = person(uow, "Released", "SV")
        uow.facilities.add_stays(
            [stay(in_a_cell, cells[0], DAY), stay(released, cells[1], DAY, date(2025, 5, 1))]
        )
        approved, draft = person(uow, "Approved"), person(uow, "Draft")
        case(uow, approved, "C-1", at=CaseState.APPROVED)
        case(uow, draft, "C-2", at=CaseState.DRAFT)
        case(uow, person(uow, "To Guatemala"), "C-3", "GT", at=CaseState.APPROVED)
        uow.commit()
    arriving = [CaseState.APPROVED.value, CaseState.SCHEDULED.value]
    with container.uow() as uow:
        expected = uow.facilities.expected_arrivals("SV", arriving, limit=10)
        by_person = {e.person_id: e for e in expected}
        assert set(by_person) == {in_no_cell, released, approved}
        assert by_person[approved].case_reference == "C-1"
        assert by_person[approved].stage == CaseState.APPROVED.value
        assert by_person[approved].held_by_state == "US"
        assert by_person[in_no_cell].name == "In no cell, Julio"
        assert by_person[in_no_cell].case_reference is None
        assert len(uow.facilities.expected_arrivals("SV", arriving, limit=1)) == 2  # 1 of each
