"""`repatria cases facts`: the facts the legal engine reads from a case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.entrypoints.cli.test_transitions import (
    Run,
    open_draft_case,
)


@pytest.fixture
def database_content() -> str:
    return "demo"


@pytest.fixture
def draft_case(repatria: Run, tmp_path: Path) -> int:
    """A new US→MX treaty case in draft, its person recorded from a JSON file."""
    return open_draft_case(repatria, tmp_path)


def test_facts_from_a_file_with_an_unknown_field_names_it(
    repatria: Run, draft_case: int, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"person_competent": True, "person_happy": True}))
    result = repatria("cases", "facts", str(draft_case), str(facts), "--as", "us-case-officer")
    assert result.exit_code == 2 and "person_happy" in result.stderr
