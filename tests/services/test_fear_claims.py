"""Fear claims, as use cases on the in-memory unit of work (tests/fakes.py): a claim about a
country blocks every open removal of the person there, and only there."""

from __future__ import annotations

from repatria.domain.cases import CaseState
from repatria.services import cases, fear_claims
from repatria.services.commands import OpenCase
from repatria.services.fear_claims import RaiseFearClaim
from tests.entrypoints.api.removals import ORDERED
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.services.fake_cases import US_OFFICER, recorded_person, today


def _removal(store: FakeStore, person_id: int, to_state: str) -> int:
    with FakeUnitOfWork(store) as uow:
        command = OpenCase(
            person_id=person_id, authority="us-removal", from_state="US", to_state=to_state
        )
        case = cases.open_case(uow, US_OFFICER, command)
        uow.commit()
    assert case.id is not None and case.state is CaseState.ORDER_FINAL
    return case.id


def test_a_pending_fear_claim_blocks_the_removals_to_that_country_and_no_other() -> None:
    store = FakeStore()
    person_id = recorded_person(store, ORDERED)
    to_mexico, to_guatemala = _removal(store, person_id, "MX"), _removal(store, person_id, "GT")
    with FakeUnitOfWork(store) as uow:
        fear_claims.add_fear_claim(uow, US_OFFICER, to_mexico, RaiseFearClaim(raised_on=today()))
        uow.commit()
    assert store.cases[to_mexico].state is CaseState.BLOCKED
    assert store.cases[to_guatemala].state is CaseState.ORDER_FINAL
    [claim] = store.fear_claims.values()
    assert (claim.case_id, claim.country, claim.outcome) == (to_mexico, "MX", None)
    blocked = store.events[-1]
    assert (blocked.command, blocked.subject_id) == ("CaseBlocked", str(to_mexico))
    assert f"fear claim {claim.id} raised on {today()} about MX" in blocked.reason


def test_a_claim_already_rejected_when_recorded_blocks_nothing() -> None:
    store = FakeStore()
    person_id = recorded_person(store, ORDERED)
    to_mexico = _removal(store, person_id, "MX")
    rejected = RaiseFearClaim.model_validate(
        {"raised_on": today(), "outcome": "rejected", "decided_on": today()}
    )
    with FakeUnitOfWork(store) as uow:
        fear_claims.add_fear_claim(uow, US_OFFICER, to_mexico, rejected)
        uow.commit()
    assert store.cases[to_mexico].state is CaseState.ORDER_FINAL
    assert store.events[-1].command == "FearClaimRecorded"
