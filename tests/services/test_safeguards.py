"""Court holds and their lifting, as use cases on the in-memory unit of work (tests/fakes.py):
a hold stops every open case of the person at once; lifted, it leaves them stopped."""

from __future__ import annotations

import pytest

from repatria.domain.cases import CaseState
from repatria.domain.errors import Conflict, PermissionDenied
from repatria.domain.people import HoldKind
from repatria.services import safeguards
from repatria.services.commands import HoldIn
from repatria.services.safeguards import LiftHold
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.services.fake_cases import MX_OFFICER, US_OFFICER, draft_case, today

TRO = HoldIn(kind=HoldKind.TRO, issued_on=today(), court="D. Ariz.", reference="26-cv-0042")


def test_a_court_hold_cancels_every_open_case_of_the_person_with_its_reason() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    person_id = store.cases[case_id].person_id
    with FakeUnitOfWork(store) as uow:
        hold, stopped = safeguards.add_hold(uow, US_OFFICER, person_id, TRO)
        uow.commit()
    assert [c.id for c in stopped] == [case_id]
    assert store.cases[case_id].state is CaseState.CANCELLED
    [kept] = store.people[person_id].holds
    assert (kept.id, kept.kind, kept.lifted_on) == (hold.id, HoldKind.TRO, None)
    assert [e.command for e in store.events][-2:] == ["HoldRecorded", "CaseCancelled"]
    assert "court hold: tro issued" in store.events[-1].reason


def test_a_hold_is_recorded_only_by_the_state_holding_the_person() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    person_id = store.cases[case_id].person_id
    with FakeUnitOfWork(store) as uow, pytest.raises(PermissionDenied):
        safeguards.add_hold(uow, MX_OFFICER, person_id, TRO)
    assert store.people[person_id].holds == []
    assert store.cases[case_id].state is CaseState.DRAFT


def test_a_hold_is_lifted_once_and_its_cases_stay_stopped() -> None:
    store = FakeStore()
    case_id = draft_case(store)
    person_id = store.cases[case_id].person_id
    with FakeUnitOfWork(store) as uow:
        hold, _ = safeguards.add_hold(uow, US_OFFICER, person_id, TRO)
        uow.commit()
    assert hold.id is not None
    lift = LiftHold(lifted_on=today(), reason="order vacated", legal_basis="D. Ariz. 26-cv-0042")
    with FakeUnitOfWork(store) as uow:
        safeguards.lift_hold(uow, US_OFFICER, person_id, hold.id, lift)
        uow.commit()
    assert store.people[person_id].holds[0].lifted_on == today()
    assert store.cases[case_id].state is CaseState.CANCELLED
    with FakeUnitOfWork(store) as uow, pytest.raises(Conflict, match="already lifted"):
        safeguards.lift_hold(uow, US_OFFICER, person_id, hold.id, lift)
