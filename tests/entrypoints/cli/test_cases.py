"""`repatria cases open | list | show`: opening and finding cases within the user's scope."""

from __future__ import annotations

import pytest

from tests.entrypoints.cli.test_transitions import (
    APPROVED,
    Run,
    ok,
)


@pytest.fixture
def database_content() -> str:
    return "demo"


def test_opening_a_case_under_an_unknown_authority_names_the_field(repatria: Run) -> None:
    result = repatria("cases", "open", "14", "us-mars-2090", "US", "MX", "--as", "us-case-officer")
    assert result.exit_code == 2 and "authority" in result.stderr


def test_an_unknown_user_names_the_as_option(repatria: Run) -> None:
    result = repatria("cases", "show", "14", "--as", "nobody")
    assert result.exit_code == 2 and "--as" in result.stderr


def test_a_case_outside_the_users_state_is_not_found(repatria: Run) -> None:
    result = repatria("cases", "show", str(APPROVED), "--as", "sv-case-officer")
    assert result.exit_code == 1 and "not found" in result.stderr


def test_cases_list_filters_by_state_within_the_users_scope(repatria: Run) -> None:
    listed = ok(repatria("cases", "list", "--state", "approved", "--as", "mx-reviewer"))
    assert "1 cases" in listed and "approved" in listed
    assert "0 cases" in ok(
        repatria("cases", "list", "--as", "sv-reviewer", "--authority", "us-mx-1976")
    )


def test_cases_list_with_an_unknown_state_is_a_usage_error(repatria: Run) -> None:
    result = repatria("cases", "list", "--state", "nowhere", "--as", "us-case-officer")
    assert result.exit_code == 2 and "nowhere" in result.output
