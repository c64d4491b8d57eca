"""`repatria cases overdue`: the open cases past a time limit the law sets."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.services import accounts
from repatria.services.commands import CreateOrganisation, CreateUser
from tests.entrypoints.cli.test_transitions import (
    Run,
    ok,
)
from tests.treaty_case import TODAY


@pytest.fixture
def database_content() -> str:
    return "demo"


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
