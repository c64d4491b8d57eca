"""`repatria cases notice`: the notice of the destination served on the person."""

from __future__ import annotations

import pytest

from tests.entrypoints.cli.test_transitions import (
    REMOVAL_TO_VE,
    Run,
)
from tests.treaty_case import TODAY


@pytest.fixture
def database_content() -> str:
    return "demo"


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
