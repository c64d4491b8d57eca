"""Consent verification hearings through the API: whatever their outcome, each is kept."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from tests.entrypoints.api.test_transitions import CONSENT, Clients, _ok, open_treaty_case, step


@pytest.fixture
def treaty_case(client_for: Clients) -> int:
    """A new US→MX treaty case in draft, with the facts the engine needs asserted."""
    return open_treaty_case(client_for)


def advance_to_consent_verification(client_for: Clients, case_id: int) -> None:
    officer = client_for("us-case-officer")
    _ok(step(officer, case_id, "submit"))
    _ok(step(officer, case_id, "screen"))
    _ok(step(client_for("us-reviewer"), case_id, "approve_sending"))
    _ok(step(client_for("mx-reviewer"), case_id, "approve_receiving"))


def hearing(client: TestClient, case_id: int, record: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/cases/{case_id}/consent-verification", json=record)


def test_consent_without_every_advisement_does_not_approve(
    client_for: Clients, treaty_case: int
) -> None:
    advance_to_consent_verification(client_for, treaty_case)
    partial = {**CONSENT, "advisements": {REQUIRED_ADVISEMENTS[0]: True}}
    answer = _ok(hearing(client_for("us-verifier"), treaty_case, partial), 201)
    assert answer["outcome"] == "not_approved"
    assert answer["case"]["state"] == "consent_verification"
    assert "CONSENT" in {c["ground"] for c in answer["failing_checks"]}
    assert answer["missing_advisements"] == list(REQUIRED_ADVISEMENTS[1:])


def test_a_hearing_missing_an_advisement_is_kept_on_the_record(
    client_for: Clients, treaty_case: int
) -> None:
    advance_to_consent_verification(client_for, treaty_case)
    partial = {**CONSENT, "advisements": {REQUIRED_ADVISEMENTS[0]: True}}
    answer = _ok(hearing(client_for("us-verifier"), treaty_case, partial), 201)
    events = _ok(client_for("us-auditor").get(f"/api/v1/cases/{treaty_case}/timeline"))["events"]
    recorded = [e for e in events if e["command"] == "ConsentHearingRecorded"]
    assert [e["after"]["id"] for e in recorded] == [answer["hearing_id"]]
    assert "4107" in recorded[0]["legal_basis"]


def test_a_refusal_at_the_hearing_is_kept_and_withdraws_the_case(
    client_for: Clients, treaty_case: int
) -> None:
    advance_to_consent_verification(client_for, treaty_case)
    answer = _ok(
        hearing(client_for("us-verifier"), treaty_case, {**CONSENT, "consents": False}), 201
    )
    assert answer["outcome"] == "withdrawn" and answer["case"]["state"] == "withdrawn"
    events = _ok(client_for("us-auditor").get(f"/api/v1/cases/{treaty_case}/timeline"))["events"]
    commands = [e["command"] for e in events]
    assert commands[-2:] == ["ConsentHearingRecorded", "CaseWithdrawn"]
    assert "consent refused at the verification hearing" in events[-1]["reason"]


def test_a_hearing_that_approves_is_kept_beside_the_approval(
    client_for: Clients, treaty_case: int
) -> None:
    advance_to_consent_verification(client_for, treaty_case)
    answer = _ok(hearing(client_for("us-verifier"), treaty_case, CONSENT), 201)
    assert answer["outcome"] == "approved" and answer["case"]["state"] == "approved"
    events = _ok(client_for("us-auditor").get(f"/api/v1/cases/{treaty_case}/timeline"))["events"]
    assert [e["command"] for e in events][-2:] == ["ConsentHearingRecorded", "CaseConsentVerified"]
