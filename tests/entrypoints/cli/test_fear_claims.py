"""`repatria cases fear-claim`: a fear claim blocks the removal to that country."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.entrypoints.cli.test_transitions import (
    REMOVAL_TO_VE,
    Run,
    ok,
    state_of,
)
from tests.treaty_case import TODAY


@pytest.fixture
def database_content() -> str:
    return "demo"


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
