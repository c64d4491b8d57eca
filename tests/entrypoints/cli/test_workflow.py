"""Case lifecycles through `repatria cases …` only: open, facts, steps, the consent hearing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from typer.testing import Result

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.services import accounts, case_documents
from repatria.services.commands import CreateOrganisation, CreateUser
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


def test_the_hearing_can_be_read_from_a_json_file(repatria: Run, tmp_path: Path) -> None:
    hearing = tmp_path / "hearing.json"
    hearing.write_text(json.dumps(HEARING))
    case = str(AT_CONSENT_VERIFICATION)
    result = repatria(
        "cases", "verify-consent", case, "--hearing", str(hearing), "--as", "us-verifier"
    )
    assert "is now approved" in ok(result)


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


def test_facts_from_a_file_with_an_unknown_field_names_it(
    repatria: Run, draft_case: int, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"person_competent": True, "person_happy": True}))
    result = repatria("cases", "facts", str(draft_case), str(facts), "--as", "us-case-officer")
    assert result.exit_code == 2 and "person_happy" in result.stderr


def test_opening_a_case_under_an_unknown_authority_names_the_field(repatria: Run) -> None:
    result = repatria("cases", "open", "14", "us-mars-2090", "US", "MX", "--as", "us-case-officer")
    assert result.exit_code == 2 and "authority" in result.stderr


def test_an_unknown_user_names_the_as_option(repatria: Run) -> None:
    result = repatria("cases", "show", "14", "--as", "nobody")
    assert result.exit_code == 2 and "--as" in result.stderr


def test_a_case_outside_the_users_state_is_not_found(repatria: Run) -> None:
    result = repatria("cases", "show", str(APPROVED), "--as", "sv-case-officer")
    assert result.exit_code == 1 and "not found" in result.stderr


def test_an_undecided_fear_claim_blocks_the_removal_and_it_may_not_resume(repatria: Run) -> None:
    case = str(REMOVAL_TO_VE)
    officer = ("--as", "us-case-officer")
    ok(repatria("cases", "step", case, "designate_destination", *officer))
    served_at = f"{(TODAY - timedelta(days=20)).isoformat()}T10:00:00Z"
    ok(
        repatria(
            "cases",
            "notice",
            case,
            "--served-at",
            served_at,
            "--language-understood",
            "--explains-how-to-contest",
            "--country",
            "VE",
            *officer,
        )
    )
    ok(repatria("cases", "step", case, "serve_notice", *officer))
    ok(repatria("cases", "step", case, "start_waiting_period", *officer))
    claimed = repatria("cases", "fear-claim", case, "--raised-on", TODAY.isoformat(), *officer)
    assert "recorded fear claim on case" in ok(claimed) and "(blocked," in claimed.stdout
    refused = repatria("cases", "step", case, "resume", "--reason", "try again", *officer)
    assert refused.exit_code == 1 and "HOLD" in refused.stderr
    assert state_of(repatria, REMOVAL_TO_VE) == "blocked"


def test_a_notice_without_its_time_names_the_field(repatria: Run) -> None:
    result = repatria(
        "cases",
        "notice",
        str(REMOVAL_TO_VE),
        "--language-understood",
        "--explains-how-to-contest",
        "--as",
        "us-case-officer",
    )
    assert result.exit_code == 2 and "served_at" in result.stderr


def test_a_notice_naming_a_country_that_is_not_a_code_names_the_field(repatria: Run) -> None:
    result = repatria(
        "cases",
        "notice",
        str(REMOVAL_TO_VE),
        "--served-at",
        f"{TODAY.isoformat()}T09:00:00Z",
        "--language-understood",
        "--explains-how-to-contest",
        "--country",
        "Venezuela",
        "--as",
        "us-case-officer",
    )
    assert result.exit_code == 2 and "country" in result.stderr


def test_overdue_says_nothing_is_late_when_nothing_is(repatria: Run) -> None:
    result = repatria("cases", "overdue", "--as", "us-case-officer", "--on", "2025-01-01")
    assert result.exit_code == 0 and "nothing overdue on 2025-01-01" in result.stdout


@pytest.fixture
def french_officer(container: Container) -> str:
    """A case officer of France, which the EU framework decision's time limits bind."""
    with container.uow() as uow:
        system = Principal.system("test")
        organisation = CreateOrganisation(code="fr-dacg", name="France (test)", state="FR")
        accounts.create_organisation(uow, system, organisation)
        officer = CreateUser(
            username="fr-case-officer",
            display_name="FR officer",
            password="a long enough password",
            role=Role.CASE_OFFICER,
            organisation_code="fr-dacg",
        )
        accounts.create_user(uow, system, officer)
        uow.commit()
    return "fr-case-officer"


def test_overdue_lists_a_case_past_its_limit_and_exits_1(
    repatria: Run, french_officer: str, tmp_path: Path
) -> None:
    person = tmp_path / "person.json"
    german = {"family_name": "Weber", "given_names": "Jonas", "held_by_state": "FR"}
    person.write_text(json.dumps({**german, "citizenships": [{"country": "DE"}]}))
    recorded = ok(repatria("people", "record", str(person), "--as", french_officer))
    person_id = re.search(r"recorded person (\d+)", recorded)
    assert person_id, recorded
    opened = ok(
        repatria(
            "cases", "open", person_id[1], "eu-fd-2008-909", "FR", "DE", "--as", french_officer
        )
    )
    case_id = re.search(r"\(id (\d+)\)", opened)
    assert case_id, opened
    received = (TODAY - timedelta(days=120)).isoformat()
    facts = ("--request-received-on", received, "--as", french_officer)
    ok(repatria("cases", "facts", case_id[1], *facts))
    result = repatria("cases", "overdue", "--as", french_officer)
    assert result.exit_code == 1
    assert "30" in result.stdout and "Art. 12(2)" in result.stdout.replace("\n", " ")


def test_overdue_on_a_day_that_is_not_a_date_names_the_option(repatria: Run) -> None:
    result = repatria("cases", "overdue", "--as", "us-case-officer", "--on", "soon")
    assert result.exit_code == 2 and "on" in result.stderr


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


def test_cases_list_filters_by_state_within_the_users_scope(repatria: Run) -> None:
    listed = ok(repatria("cases", "list", "--state", "approved", "--as", "mx-reviewer"))
    assert "1 cases" in listed and "approved" in listed
    assert "0 cases" in ok(
        repatria("cases", "list", "--as", "sv-reviewer", "--authority", "us-mx-1976")
    )


def test_cases_list_with_an_unknown_state_is_a_usage_error(repatria: Run) -> None:
    result = repatria("cases", "list", "--state", "nowhere", "--as", "us-case-officer")
    assert result.exit_code == 2 and "nowhere" in result.output
