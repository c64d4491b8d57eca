"""Case lifecycles through `repatria cases …` only: opening a case and taking its steps (the
hearing, facts, notices, fear claims and time limits: test_consent.py, test_case_facts.py,
test_notices.py, test_fear_claims.py, test_deadlines.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from typer.testing import Result

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.services import case_documents
from repatria.services.unit_of_work import UnitOfWork
from tests.treaty_case import MEXICAN, TODAY

Run = Callable[..., Result]
# Demo cases (services/demo_cases.py): one US→MX treaty case left at each state.
AT_CONSENT_VERIFICATION, APPROVED, REMOVAL_TO_VE = 18, 19, 27
HEARING = {
    "verifier_name": "Hon. A. Magistrate",
    "verifier_role": "magistrate_judge",
    "verified_on": TODAY.isoformat(),
    "counsel": "present",
    "advisements": dict.fromkeys(REQUIRED_ADVISEMENTS, True),
    "given_by": "person",
    "consents": True,
    "recording_reference": "CVH-2026-0042",
}


@pytest.fixture
def database_content() -> str:
    return "demo"


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def hearing_options(*advised: str) -> list[str]:
    options = [
        "--verifier-name",
        "Hon. A. Magistrate",
        "--verifier-role",
        "magistrate_judge",
        "--verified-on",
        TODAY.isoformat(),
        "--counsel",
        "waived",
        "--consents",
        "--recording-reference",
        "CVH-2026-0043",
    ]
    for name in advised:
        options += ["--advised", name]
    return options


@pytest.fixture
def draft_case(repatria: Run, tmp_path: Path) -> int:
    """A new US→MX treaty case in draft, its person recorded from a JSON file."""
    return open_draft_case(repatria, tmp_path)


def open_draft_case(repatria: Run, tmp_path: Path) -> int:
    """Open a US→MX treaty case in draft, its person recorded from a JSON file."""
    person_file = tmp_path / "person.json"
    person_file.write_text(json.dumps(MEXICAN))
    recorded = ok(repatria("people", "record", str(person_file), "--as", "us-case-officer"))
    person_id = re.search(r"recorded person (\d+)", recorded)
    assert person_id, recorded
    opened = ok(
        repatria("cases", "open", person_id[1], "us-mx-1976", "US", "MX", "--as", "us-case-officer")
    )
    case_id = re.search(r"\(id (\d+)\) in draft", opened)
    assert case_id, opened
    return int(case_id[1])


def assert_facts(repatria: Run, case_id: int) -> None:
    received = (TODAY - timedelta(days=30)).isoformat()
    ok(
        repatria(
            "cases",
            "facts",
            str(case_id),
            "--as",
            "us-case-officer",
            "--request-received-on",
            received,
            "--competent",
            "--years-in-sending-state",
            "3",
            "--does-not-intend-to-remain",
            "--dual-criminality",
            "--no-other-charges-pending",
        )
    )


def state_of(repatria: Run, case_id: int) -> str:
    shown = ok(repatria("cases", "show", str(case_id), "--as", "us-case-officer"))
    found = re.search(r"person \d+, (\w+)", shown)
    assert found, shown
    return found[1]


def test_cases_states_prints_every_command_of_both_lifecycles(repatria: Run) -> None:
    printed = ok(repatria("cases", "states"))
    for command in ("verify_consent", "approve_receiving", "serve_notice", "block", "resume"):
        assert command in printed


def test_a_treaty_case_goes_from_draft_to_approved_through_the_cli_only(
    repatria: Run, draft_case: int
) -> None:
    assert_facts(repatria, draft_case)
    case = str(draft_case)
    ok(repatria("cases", "step", case, "submit", "--as", "us-case-officer"))
    ok(repatria("cases", "step", case, "screen", "--as", "us-case-officer"))
    ok(repatria("cases", "step", case, "approve_sending", "--as", "us-reviewer"))
    ok(repatria("cases", "step", case, "approve_receiving", "--as", "mx-reviewer"))
    approved = ok(
        repatria(
            "cases",
            "verify-consent",
            case,
            "--as",
            "us-verifier",
            *hearing_options(*REQUIRED_ADVISEMENTS),
        )
    )
    assert "is now approved (legal basis: assessment" in approved
    events = ok(repatria("cases", "timeline", case, "--as", "us-case-officer"))
    assert "CaseFactsAsserted" in events and "CaseConsentVerified" in events.replace("\n", "")


def test_a_step_without_the_hearing_is_refused_on_the_consent_ground(repatria: Run) -> None:
    case = str(AT_CONSENT_VERIFICATION)
    result = repatria("cases", "step", case, "verify_consent", "--as", "us-verifier")
    assert result.exit_code == 1
    assert "CONSENT" in result.stderr
    assert state_of(repatria, AT_CONSENT_VERIFICATION) == "consent_verification"


def test_a_refused_step_prints_each_failing_rule_with_its_citation(repatria: Run) -> None:
    case = str(AT_CONSENT_VERIFICATION)
    result = repatria("cases", "step", case, "verify_consent", "--as", "us-verifier")
    assert result.exit_code == 1
    consent_lines = [line for line in result.stderr.splitlines() if "(CONSENT, " in line]
    assert consent_lines and all("[" in line and "]" in line for line in consent_lines)
    assert any("18 U.S.C." in line or "TIAS" in line for line in consent_lines)


def test_withdrawal_after_verified_consent_is_refused_with_the_citation(repatria: Run) -> None:
    case = str(APPROVED)
    result = repatria(
        "cases", "step", case, "withdraw", "--reason", "changed mind", "--as", "us-case-officer"
    )
    assert result.exit_code == 1 and "4107" in result.stderr


def test_the_reviewer_who_prepared_a_decision_may_not_take_it(
    repatria: Run, draft_case: int
) -> None:
    assert_facts(repatria, draft_case)
    case = str(draft_case)
    ok(repatria("cases", "step", case, "submit", "--as", "us-case-officer"))
    ok(repatria("cases", "step", case, "screen", "--as", "us-case-officer"))
    ok(
        repatria(
            "cases",
            "step",
            case,
            "prepare_sending",
            "--reason",
            "prospects good",
            "--as",
            "us-reviewer",
        )
    )
    refused = repatria("cases", "step", case, "approve_sending", "--as", "us-reviewer")
    assert refused.exit_code == 1 and "separation of duties" in refused.stderr


def test_a_denial_without_a_reason_names_the_field(repatria: Run, draft_case: int) -> None:
    result = repatria("cases", "step", str(draft_case), "cancel", "--as", "us-case-officer")
    assert result.exit_code == 2 and "reason" in result.stderr


def test_a_step_on_a_day_that_is_not_a_date_names_the_field(repatria: Run, draft_case: int) -> None:
    result = repatria(
        "cases", "step", str(draft_case), "submit", "--on", "2026-13-01", "--as", "us-case-officer"
    )
    assert result.exit_code == 2 and "on" in result.stderr
    assert state_of(repatria, draft_case) == "draft"


def test_a_step_on_a_stale_version_is_refused(repatria: Run, draft_case: int) -> None:
    case = str(draft_case)
    ok(repatria("cases", "step", case, "submit", "--version", "1", "--as", "us-case-officer"))
    stale = repatria("cases", "step", case, "screen", "--version", "1", "--as", "us-case-officer")
    assert stale.exit_code == 1 and "reload" in stale.stderr


def test_a_case_another_writer_changed_meanwhile_is_a_conflict_with_a_clear_message(
    repatria: Run, draft_case: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another writer moves the case on after the step read it and before the step stores its
    # move: the version check of the UPDATE finds no row, and the CLI says so (exit status 1).
    real = case_documents.load_records

    def changed_meanwhile(uow: UnitOfWork, case: Any) -> Any:
        bumped = t.cases.c.version + 1
        uow.connection().execute(
            update(t.cases).where(t.cases.c.id == case.id).values(version=bumped)
        )
        return real(uow, case)

    monkeypatch.setattr(case_documents, "load_records", changed_meanwhile)
    refused = repatria("cases", "step", str(draft_case), "submit", "--as", "us-case-officer")
    monkeypatch.undo()
    assert refused.exit_code == 1, refused.output
    assert "someone else changed this record" in refused.stderr
    assert "Traceback" not in refused.output
    assert state_of(repatria, draft_case) == "draft"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_step_stopped_by_a_row_held_elsewhere_says_so_and_writes_nothing(
    repatria: Run, draft_case: int, container: Container, backend: str
) -> None:
    # PostgreSQL: another transaction holds the case's row past the writer's lock timeout;
    # the CLI tells the operator to retry (exit status 1), not a driver's traceback.
    with container.engine.connect() as other:
        other.execute(select(t.cases).where(t.cases.c.id == draft_case).with_for_update())
        stopped = repatria("cases", "step", str(draft_case), "submit", "--as", "us-case-officer")
        other.rollback()
    assert stopped.exit_code == 1, stopped.output
    assert "another change to the same records is under way" in stopped.stderr
    assert "Traceback" not in stopped.output
    assert state_of(repatria, draft_case) == "draft"


@pytest.mark.parametrize("group", ["cases", "people", "movements"])
def test_every_command_says_what_it_does_in_its_help(group: str) -> None:
    from typer.testing import CliRunner

    from repatria.entrypoints.cli import (
        case_facts,
        cases,
        consent,
        deadlines,
        fear_claims,
        movements,
        notices,
        people,
        transitions,
    )
    from repatria.entrypoints.cli.main import app

    apps = {
        "cases": [
            cases.cases_app,
            transitions.transitions_app,
            consent.consent_app,
            case_facts.case_facts_app,
            notices.notices_app,
            fear_claims.fear_claims_app,
            deadlines.deadlines_app,
        ],
        "people": [people.people_commands],
        "movements": [movements.movements_app],
    }[group]
    for typer_app in apps:
        for info in typer_app.registered_commands:
            assert info.name and info.callback and (info.callback.__doc__ or "").strip()
            shown = CliRunner().invoke(app, [group, info.name, "--help"], env={"COLUMNS": "200"})
            assert shown.exit_code == 0 and info.callback.__doc__.split("\n")[0] in shown.stdout


def test_the_installed_command_exits_1_on_a_refusal_and_2_on_bad_input(
    settings: object, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    executable = str(Path(sys.executable).with_name("repatria"))
    case = str(AT_CONSENT_VERIFICATION)
    env = {**os.environ}
    refused = subprocess.run(
        [executable, "cases", "step", case, "verify_consent", "--as", "us-verifier"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert refused.returncode == 1 and "CONSENT" in refused.stderr
    invalid = subprocess.run(
        [executable, "cases", "step", case, "verify_consent", "--on", "tomorrow", "--as", "x"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert invalid.returncode == 2 and "on:" in invalid.stderr
