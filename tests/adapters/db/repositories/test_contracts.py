"""The contracts repository on SQLite and PostgreSQL: a contract by id and reference, those a
state pays or hosts, the people admitted and stays held under one, the contracts in force on a
day, those ended with people still held, and payments, each month paid once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from repatria.bootstrap import Container
from repatria.domain.errors import Conflict
from repatria.services.ports.contracts import InvoicePayment
from tests.adapters.db.repositories.custody_records import contract, facility, person, stay

JANUARY, DECEMBER = date(2025, 1, 1), date(2025, 12, 31)


def test_a_contract_is_found_by_id_and_reference_and_seen_by_its_payer_and_host(
    container: Container,
) -> None:
    with container.uow() as uow:
        older = contract(uow, "K-OLD", date(2024, 1, 1), date(2024, 12, 31))
        newer = contract(uow, "K-NEW", JANUARY, DECEMBER)
        contract(uow, "K-GT", JANUARY, DECEMBER, payer="MX", host="GT")
        uow.commit()
    assert older.id is not None
    with container.uow() as uow:
        found = uow.contracts.get(older.id)
        assert found is not None and found.reference == "K-OLD"
        assert uow.contracts.by_reference("K-OLD") is found
        assert uow.contracts.by_reference("K-NONE") is None
        newest_first = [c.id for c in uow.contracts.seen_by("US")]
        assert newest_first == [newer.id, older.id]
        assert [c.reference for c in uow.contracts.seen_by("SV")] == ["K-NEW", "K-OLD"]
        assert [c.reference for c in uow.contracts.seen_by("GT")] == ["K-GT"]
        assert len(uow.contracts.seen_by(None)) == 3


def test_the_people_admitted_under_a_contract_are_counted_once_each(
    container: Container,
) -> None:
    with container.uow() as uow:
        _, cells = facility(uow, "CECOT")
        agreement = contract(uow, "K-1", JANUARY, DECEMBER)
        other = contract(uow, "K-2", JANUARY, DECEMBER)
        assert agreement.id is not None and other.id is not None
        moved, stayed, elsewhere = (person(uow, name, "SV") for name in ("Moved", "Stayed", "E"))
        uow.facilities.add_stays(
            [
                stay(moved, cells[0], date(2025, 2, 1), date(2025, 3, 1), agreement.id),
                stay(moved, cells[1], date(2025, 3, 1), None, agreement.id),
                stay(stayed, cells[2], date(2025, 2, 1), None, agreement.id),
                stay(elsewhere, cells[3], date(2025, 2, 1), None, other.id),
            ]
        )
        uow.commit()
    with container.uow() as uow:
        assert uow.contracts.admitted(agreement.id) == 2
        assert uow.contracts.admitted(agreement.id, besides=moved) == 1
        assert uow.contracts.admitted_people(agreement.id) == {moved, stayed}
        under = uow.contracts.stays_under(agreement.id)
        assert [(s.person_id, s.cell_id) for s in under] == [
            (moved, cells[0]),
            (moved, cells[1]),
            (stayed, cells[2]),
        ]


def test_contracts_in_force_cover_their_first_and_last_day_and_name_their_facilities(
    container: Container,
) -> None:
    with container.uow() as uow:
        named, _ = facility(uow, "CECOT")
        contract(uow, "K-NAMED", JANUARY, DECEMBER, facility_id=named.id)
        contract(uow, "K-ANY", JANUARY, date(2025, 6, 30))
        contract(uow, "K-MX", JANUARY, DECEMBER, payer="MX")
        uow.commit()
    with container.uow() as uow:

        def in_force(on: date) -> list[str]:
            return sorted(c.reference for c in uow.contracts.in_force("US", "SV", on))

        assert in_force(JANUARY) == ["K-ANY", "K-NAMED"]
        assert in_force(date(2025, 6, 30)) == ["K-ANY", "K-NAMED"]
        assert in_force(date(2025, 7, 1)) == ["K-NAMED"]
        assert in_force(date(2026, 1, 1)) == []
        assert uow.contracts.facilities_named("US", "SV", JANUARY) == {named.id}
        assert uow.contracts.facilities_named("US", "SV", date(2026, 1, 1)) == set()
        assert uow.contracts.payers_at(named.id or 0) == {"US"}


def test_a_contract_ended_with_people_still_held_is_named_with_how_many(
    container: Container,
) -> None:
    with container.uow() as uow:
        here, cells = facility(uow, "CECOT")
        _, cells_elsewhere = facility(uow, "ELSEWHERE")
        ended = contract(uow, "K-ENDED", JANUARY, date(2025, 6, 30))
        running = contract(uow, "K-RUNNING", JANUARY, DECEMBER)
        people = [person(uow, f"P{n}", "SV") for n in range(4)]
        uow.facilities.add_stays(
            [
                stay(people[0], cells[0], JANUARY, None, ended.id),
                stay(people[1], cells[1], JANUARY, None, ended.id),
                stay(people[2], cells[2], JANUARY, date(2025, 6, 1), ended.id),  # released
                stay(people[3], cells[3], JANUARY, None, running.id),
                stay(people[2], cells_elsewhere[0], JANUARY, None, ended.id),  # not here
            ]
        )
        uow.commit()
    assert here.id is not None
    with container.uow() as uow:
        assert uow.contracts.ended_holding(here.id, date(2025, 7, 1)) == [
            ("K-ENDED", date(2025, 6, 30), 2)
        ]
        assert uow.contracts.ended_holding(here.id, date(2025, 6, 30)) == []


def test_a_months_payment_is_kept_by_month_and_recorded_once(container: Container) -> None:
    with container.uow() as uow:
        agreement = contract(uow, "K-1", JANUARY, DECEMBER)
        uow.commit()
    assert agreement.id is not None
    at = datetime(2025, 3, 5, 9, 30, tzinfo=UTC)
    paid = InvoicePayment(agreement.id, date(2025, 2, 1), date(2025, 3, 4), "TX-1", None, at)
    with container.uow() as uow:
        uow.contracts.add_payment(paid)
        uow.commit()
    with container.uow() as uow:
        assert uow.contracts.payments(agreement.id) == {date(2025, 2, 1): paid}
        assert uow.contracts.payments(agreement.id + 1) == {}
        again = InvoicePayment(agreement.id, date(2025, 2, 1), date(2025, 3, 6), "TX-2", None, at)
        with pytest.raises(Conflict):
            uow.contracts.add_payment(again)
