"""`repatria people hold | protection-order | lift-hold | terminate-protection-order |
decide-fear-claim` on the demo data."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from typer.testing import Result

from repatria.services import clock

Run = Callable[..., Result]
OFFICER = ("--as", "us-case-officer")
TODAY = clock.today().isoformat()
# Demo people (services/demo_cases.py): each has one case, numbered as they are.
APPROVED_PERSON, RECEIVING_REVIEW_PERSON, REMOVAL_PERSON = 19, 17, 27
APPROVED_CASE, REMOVAL_CASE = 19, 27
BASIS = ("--reason", "the order ended", "--legal-basis", "S.D. Tex., 2026-12-01, No. 4:26-cv-1")


@pytest.fixture
def database_content() -> str:
    return "demo"


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def record_hold(repatria: Run) -> str:
    held = ok(
        repatria(
            "people", "hold", str(APPROVED_PERSON), "--kind", "tro", "--issued-on", TODAY, *OFFICER
        )
    )
    found = re.search(r"hold (\d+) on person", held)
    assert found, held
    return found[1]


def record_order(repatria: Run) -> str:
    ordered = ok(
        repatria(
            "people",
            "protection-order",
            str(RECEIVING_REVIEW_PERSON),
            "--kind",
            "withholding",
            "--country",
            "MX",
            "--issued-on",
            TODAY,
            *OFFICER,
        )
    )
    found = re.search(r"order (\d+) on person", ordered)
    assert found, ordered
    return found[1]


def raise_claim(repatria: Run) -> str:
    case = str(REMOVAL_CASE)
    ok(repatria("cases", "fear-claim", case, "--raised-on", TODAY, *OFFICER))
    shown = ok(repatria("cases", "show", case, *OFFICER))
    found = re.search(r"fear claim (\d+) about VE", shown)
    assert found, shown
    return found[1]


def test_a_hold_cancels_the_persons_open_treaty_case_at_once(repatria: Run) -> None:
    held = repatria(
        "people",
        "hold",
        str(APPROVED_PERSON),
        "--kind",
        "injunction",
        "--issued-on",
        TODAY,
        "--court",
        "D.D.C.",
        "--reference",
        "1:26-cv-0001",
        *OFFICER,
    )
    assert "is now cancelled" in ok(held)
    shown = ok(repatria("cases", "show", str(APPROVED_CASE), *OFFICER))
    assert "cancelled" in shown


def test_a_hold_of_an_unknown_kind_names_the_field(repatria: Run) -> None:
    result = repatria(
        "people", "hold", str(APPROVED_PERSON), "--kind", "curfew", "--issued-on", TODAY, *OFFICER
    )
    assert result.exit_code == 2 and "kind" in result.stderr


def test_only_the_holding_state_records_a_hold(repatria: Run) -> None:
    result = repatria(
        "people",
        "hold",
        str(APPROVED_PERSON),
        "--kind",
        "tro",
        "--issued-on",
        TODAY,
        "--as",
        "mx-case-officer",
    )
    assert result.exit_code == 1 and "US" in result.stderr


def test_a_protection_order_stops_every_open_case_to_that_country(repatria: Run) -> None:
    ordered = repatria(
        "people",
        "protection-order",
        str(RECEIVING_REVIEW_PERSON),
        "--kind",
        "cat_deferral",
        "--country",
        "MX",
        "--issued-on",
        TODAY,
        "--issued-by",
        "IJ Houston",
        *OFFICER,
    )
    printed = ok(ordered)
    assert "(MX)" in printed and "is now cancelled" in printed


def test_a_protection_order_for_another_country_stops_nothing(repatria: Run) -> None:
    ordered = repatria(
        "people",
        "protection-order",
        str(RECEIVING_REVIEW_PERSON),
        "--kind",
        "withholding",
        "--country",
        "GT",
        "--issued-on",
        TODAY,
        *OFFICER,
    )
    assert "no open case was affected" in ok(ordered)


def test_a_protection_order_with_a_bad_country_names_the_field(repatria: Run) -> None:
    result = repatria(
        "people",
        "protection-order",
        str(RECEIVING_REVIEW_PERSON),
        "--kind",
        "withholding",
        "--country",
        "Mexico",
        "--issued-on",
        TODAY,
        *OFFICER,
    )
    assert result.exit_code == 2 and "country" in result.stderr


def test_a_lifted_hold_shows_as_lifted_and_cannot_be_lifted_twice(repatria: Run) -> None:
    hold = record_hold(repatria)
    person = str(APPROVED_PERSON)
    lifted = repatria("people", "lift-hold", person, hold, "--lifted-on", TODAY, *BASIS, *OFFICER)
    assert f"hold {hold} on person {person} lifted on {TODAY}" in ok(lifted)
    assert f"lifted {TODAY}" in ok(repatria("people", "show", person, *OFFICER))
    again = repatria("people", "lift-hold", person, hold, "--lifted-on", TODAY, *BASIS, *OFFICER)
    assert again.exit_code == 1 and "already lifted" in again.stderr


def test_a_hold_lifted_before_it_was_issued_names_the_field(repatria: Run) -> None:
    hold = record_hold(repatria)
    result = repatria(
        "people",
        "lift-hold",
        str(APPROVED_PERSON),
        hold,
        "--lifted-on",
        "2020-01-01",
        *BASIS,
        *OFFICER,
    )
    assert result.exit_code == 2 and "lifted_on" in result.stderr


def test_lifting_a_hold_needs_its_legal_basis(repatria: Run) -> None:
    hold = record_hold(repatria)
    result = repatria(
        "people",
        "lift-hold",
        str(APPROVED_PERSON),
        hold,
        "--lifted-on",
        TODAY,
        "--reason",
        "ended",
        "--legal-basis",
        " ",
        *OFFICER,
    )
    assert result.exit_code == 2 and "legal_basis" in result.stderr


def test_a_terminated_protection_order_shows_as_terminated(repatria: Run) -> None:
    order = record_order(repatria)
    person = str(RECEIVING_REVIEW_PERSON)
    ended = repatria(
        "people",
        "terminate-protection-order",
        person,
        order,
        "--terminated-on",
        TODAY,
        *BASIS,
        *OFFICER,
    )
    assert f"terminated on {TODAY}" in ok(ended)
    assert f"terminated {TODAY}" in ok(repatria("people", "show", person, *OFFICER))


def test_an_unknown_protection_order_is_not_found(repatria: Run) -> None:
    result = repatria(
        "people",
        "terminate-protection-order",
        str(RECEIVING_REVIEW_PERSON),
        "999",
        "--terminated-on",
        TODAY,
        *BASIS,
        *OFFICER,
    )
    assert result.exit_code == 1 and "not found" in result.stderr


def test_a_granted_fear_claim_becomes_a_protection_order(repatria: Run) -> None:
    claim = raise_claim(repatria)
    decided = repatria(
        "people",
        "decide-fear-claim",
        str(REMOVAL_PERSON),
        claim,
        "--outcome",
        "granted",
        "--decided-on",
        TODAY,
        "--protection",
        "cat_deferral",
        *BASIS,
        *OFFICER,
    )
    printed = ok(decided)
    assert f"fear claim {claim} about VE: granted" in printed
    assert "cat_deferral for VE" in printed
    assert "cat_deferral for VE" in ok(repatria("people", "show", str(REMOVAL_PERSON), *OFFICER))


def test_a_fear_claim_is_decided_only_once(repatria: Run) -> None:
    claim = raise_claim(repatria)
    person = str(REMOVAL_PERSON)
    decide = ("--outcome", "denied", "--decided-on", TODAY, *BASIS, *OFFICER)
    assert "denied" in ok(repatria("people", "decide-fear-claim", person, claim, *decide))
    again = repatria("people", "decide-fear-claim", person, claim, *decide)
    assert again.exit_code == 1 and "already decided" in again.stderr


def test_a_fear_claim_outcome_other_than_granted_or_denied_names_the_field(repatria: Run) -> None:
    claim = raise_claim(repatria)
    result = repatria(
        "people",
        "decide-fear-claim",
        str(REMOVAL_PERSON),
        claim,
        "--outcome",
        "maybe",
        "--decided-on",
        TODAY,
        *BASIS,
        *OFFICER,
    )
    assert result.exit_code == 2 and "outcome" in result.stderr


def test_a_denied_fear_claim_lets_the_blocked_removal_resume(repatria: Run) -> None:
    claim = raise_claim(repatria)
    case = str(REMOVAL_CASE)
    resume = ("cases", "step", case, "resume", "--reason", "claim denied", *OFFICER)
    assert repatria(*resume).exit_code == 1  # refused while the claim stands
    decide = ("--outcome", "denied", "--decided-on", TODAY, *BASIS, *OFFICER)
    ok(repatria("people", "decide-fear-claim", str(REMOVAL_PERSON), claim, *decide))
    assert "is now order_final" in ok(repatria(*resume))
