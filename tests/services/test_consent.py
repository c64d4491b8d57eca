"""Consent verification hearings, as use cases on the in-memory unit of work (tests/fakes.py):
whatever the outcome, the hearing is kept; only consent that passes every check approves."""

from __future__ import annotations

from typing import Any

import pytest

from repatria.domain.cases import CaseState
from repatria.domain.errors import PermissionDenied
from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.services import consent
from repatria.services.consent import HearingOutcome, RecordConsentVerification
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.services.fake_cases import (
    MX_REVIEWER,
    US_OFFICER,
    US_REVIEWER,
    US_VERIFIER,
    draft_case,
    take,
    today,
)


def _at_consent_verification(store: FakeStore) -> int:
    case_id = draft_case(store)
    take(store, US_OFFICER, case_id, "submit")
    take(store, US_OFFICER, case_id, "screen")
    take(store, US_REVIEWER, case_id, "approve_sending")
    take(store, MX_REVIEWER, case_id, "approve_receiving")
    assert store.cases[case_id].state is CaseState.CONSENT_VERIFICATION
    return case_id


def _hearing(**changes: Any) -> RecordConsentVerification:
    return RecordConsentVerification.model_validate(
        {
            "verifier_name": "Hon. A. Magistrate",
            "verifier_role": "magistrate_judge",
            "verified_on": today().isoformat(),
            "counsel": "present",
            "advisements": dict.fromkeys(REQUIRED_ADVISEMENTS, True),
            "consents": True,
            "recording_reference": "CVH-2026-0042",
            **changes,
        }
    )


def _record(store: FakeStore, case_id: int, command: RecordConsentVerification) -> Any:
    with FakeUnitOfWork(store) as uow:
        found = consent.record_consent_hearing(uow, US_VERIFIER, case_id, command)
        uow.commit()
    return found


def test_consent_verified_with_every_advisement_approves_the_case() -> None:
    store = FakeStore()
    case_id = _at_consent_verification(store)
    found = _record(store, case_id, _hearing())
    assert found.outcome is HearingOutcome.APPROVED
    assert store.cases[case_id].state is CaseState.APPROVED
    [kept] = store.consents.values()
    assert (kept.case_id, kept.recorded_by, kept.consents) == (case_id, 5, True)
    assert [e.command for e in store.events][-2:] == [
        "ConsentHearingRecorded",
        "CaseConsentVerified",
    ]


def test_a_hearing_missing_an_advisement_is_kept_and_leaves_the_case_waiting() -> None:
    store = FakeStore()
    case_id = _at_consent_verification(store)
    partial = _hearing(advisements={REQUIRED_ADVISEMENTS[0]: True})
    found = _record(store, case_id, partial)
    assert found.outcome is HearingOutcome.NOT_APPROVED
    assert "CONSENT" in {check["ground"] for check in found.failing}
    assert store.cases[case_id].state is CaseState.CONSENT_VERIFICATION
    assert len(store.consents) == 1
    assert store.events[-1].command == "ConsentHearingRecorded"


def test_consent_refused_at_the_hearing_withdraws_the_application() -> None:
    store = FakeStore()
    case_id = _at_consent_verification(store)
    found = _record(store, case_id, _hearing(consents=False))
    assert found.outcome is HearingOutcome.WITHDRAWN
    assert store.cases[case_id].state is CaseState.WITHDRAWN
    assert "consent refused at the verification hearing" in store.events[-1].reason


def test_only_a_verifier_records_a_hearing_and_then_nothing_is_kept() -> None:
    store = FakeStore()
    case_id = _at_consent_verification(store)
    with FakeUnitOfWork(store) as uow, pytest.raises(PermissionDenied):
        consent.record_consent_hearing(uow, US_REVIEWER, case_id, _hearing())
    assert store.consents == {}
    assert store.cases[case_id].state is CaseState.CONSENT_VERIFICATION
