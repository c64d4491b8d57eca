"""`repatria cases verify-consent`: the hearing from options or a file, whatever its outcome."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from tests.entrypoints.cli.test_transitions import (
    AT_CONSENT_VERIFICATION,
    HEARING,
    Run,
    hearing_options,
    ok,
    state_of,
)


@pytest.fixture
def database_content() -> str:
    return "demo"


def test_the_hearing_can_be_read_from_a_json_file(repatria: Run, tmp_path: Path) -> None:
    hearing = tmp_path / "hearing.json"
    hearing.write_text(json.dumps(HEARING))
    case = str(AT_CONSENT_VERIFICATION)
    result = repatria(
        "cases", "verify-consent", case, "--hearing", str(hearing), "--as", "us-verifier"
    )
    assert "is now approved" in ok(result)


def test_consent_without_every_advisement_is_kept_but_refused_on_the_consent_ground(
    repatria: Run,
) -> None:
    advised = REQUIRED_ADVISEMENTS[:-1]  # § 4107(b)(4), irrevocability, was not given
    case = str(AT_CONSENT_VERIFICATION)
    result = repatria(
        "cases", "verify-consent", case, "--as", "us-verifier", *hearing_options(*advised)
    )
    assert result.exit_code == 1
    assert "refused by the legal engine: CONSENT" in result.stderr
    assert "not_approved" in result.stdout and REQUIRED_ADVISEMENTS[-1] in result.stdout
    assert state_of(repatria, AT_CONSENT_VERIFICATION) == "consent_verification"
    events = ok(repatria("cases", "timeline", case, "--as", "us-verifier"))
    assert "ConsentHearingRecorded" in events


def test_consent_refused_at_the_hearing_withdraws_the_application(repatria: Run) -> None:
    case = str(AT_CONSENT_VERIFICATION)
    options = [
        o if o != "--consents" else "--refuses" for o in hearing_options(*REQUIRED_ADVISEMENTS)
    ]
    result = repatria("cases", "verify-consent", case, "--as", "us-verifier", *options)
    assert "withdrawn" in ok(result)
    assert state_of(repatria, AT_CONSENT_VERIFICATION) == "withdrawn"


def test_a_hearing_without_its_recording_reference_names_the_field(
    repatria: Run, tmp_path: Path
) -> None:
    hearing = tmp_path / "hearing.json"
    hearing.write_text(json.dumps({k: v for k, v in HEARING.items() if k != "recording_reference"}))
    case = str(AT_CONSENT_VERIFICATION)
    result = repatria(
        "cases", "verify-consent", case, "--hearing", str(hearing), "--as", "us-verifier"
    )
    assert result.exit_code == 2 and "recording_reference" in result.stderr


def test_a_hearing_file_that_is_not_json_names_the_option(repatria: Run, tmp_path: Path) -> None:
    hearing = tmp_path / "hearing.json"
    hearing.write_text("{verifier: nobody")
    case = str(AT_CONSENT_VERIFICATION)
    result = repatria(
        "cases", "verify-consent", case, "--hearing", str(hearing), "--as", "us-verifier"
    )
    assert result.exit_code == 2 and "hearing" in result.stderr


def test_a_misspelt_advisement_is_a_usage_error(repatria: Run) -> None:
    case = str(AT_CONSENT_VERIFICATION)
    result = repatria(
        "cases", "verify-consent", case, "--as", "us-verifier", *hearing_options("be_nice")
    )
    assert result.exit_code == 2 and "be_nice" in result.output
