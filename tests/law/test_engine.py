"""The engine's contract: verdict shape, unknown never passes, reasons carry the numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from repatria.law import ContextFacts
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.law.errors import InvalidDocument
from repatria.law.schema import GROUNDS

SCENARIO_DIR = Path(__file__).parent / "scenarios"


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((Path(__file__).parent / "example.json").read_text())
    document.update(changes)
    return document


CHECK_KEYS = {"rule", "ground", "outcome", "reason", "citation"}
OPTIONAL_CHECK_KEYS = {"verified", "basis"}  # only where a check rests on less than verified law


def test_the_verdict_has_the_contract_shape_with_only_optional_additions() -> None:
    verdict = assess(parse_document(_document())).to_json()
    assert {"allowed", "authority", "as_of", "checks"} <= set(verdict)
    for check in verdict["checks"]:
        assert CHECK_KEYS <= set(check) <= CHECK_KEYS | OPTIONAL_CHECK_KEYS
        assert check["outcome"] in {"pass", "fail", "unknown", "waived"}
        assert check["ground"] in GROUNDS
        assert check["citation"]
        assert check.get("verified", True) is False or "verified" not in check
        assert check.get("basis", "policy") in {"policy", "project"}


def test_a_check_resting_on_unverified_data_says_so_in_its_reason_and_flag() -> None:
    flagged = [c for c in assess(parse_document(_document())).checks if not c.verified]
    assert flagged, "the example relies on some unverified law data"
    for check in flagged:
        assert "not verified" in check.reason
        assert check.to_json()["verified"] is False


def test_an_exception_on_a_ground_the_treaty_does_not_let_the_states_waive_changes_nothing() -> (
    None
):
    # The US-Mexico treaty's own six-month minimum may not be waived.
    document = _document(
        holds=[],
        request_received_on="2025-03-01",
        sentence={**_document()["sentence"], "start_date": "2016-01-01", "length_days": 3500},
        exceptions=[
            {"ground": "REMAINING_SENTENCE", "by": ["US", "MX"], "agreed_on": "2025-03-05"}
        ],
    )
    verdict = assess(parse_document(document))
    failing = [
        c for c in verdict.checks if c.ground == "REMAINING_SENTENCE" and c.outcome == "fail"
    ]
    assert failing and not verdict.allowed
    assert all("changes nothing" in c.reason for c in failing)


def test_a_contested_authority_carries_its_rulings_in_every_verdict() -> None:
    document = {"authority": "aea-1798", "from": "US", "to": "VE", "as_of": "2025-06-01"}
    verdict = assess(parse_document(document)).to_json()
    courts = {ruling["court"] for ruling in verdict["contested"]}
    assert "Supreme Court of the United States" in courts
    earlier = assess(parse_document({**document, "as_of": "2025-04-01"})).to_json()
    assert "contested" not in earlier  # no ruling had been decided yet


def test_the_design_example_is_refused_for_its_restraining_order_alone() -> None:
    # DESIGN.md's example lists a TRO issued 2025-03-15 and never lifted: no move during a hold.
    verdict = assess(parse_document(_document()))
    assert not verdict.allowed
    assert verdict.grounds == ["HOLD"]


def test_the_design_example_is_allowed_once_its_restraining_order_is_lifted() -> None:
    lifted = [{"kind": "tro", "issued_on": "2025-03-15", "lifted_on": "2025-03-28"}]
    assert assess(parse_document(_document(holds=lifted))).allowed


def test_a_treaty_document_that_lists_no_holds_is_assessed_on_the_treaty_alone() -> None:
    verdict = assess(parse_document(_document(holds=None)))
    assert verdict.allowed
    assert not [c for c in verdict.checks if c.ground == "HOLD"]


def test_a_short_sentence_reason_gives_the_numbers_and_the_date() -> None:
    document = _document(
        sentence={**_document()["sentence"], "start_date": "2024-01-01", "length_days": 286}
    )
    reasons = [c.reason for c in assess(parse_document(document)).checks if c.outcome == "fail"]
    assert "4 months 12 days left on 2024-06-01; the minimum is 6 months" in reasons


def test_without_a_request_date_the_reason_says_as_of_was_used() -> None:
    document = _document(request_received_on=None)
    check = next(
        c for c in assess(parse_document(document)).checks if c.rule.endswith("/remaining-sentence")
    )
    assert "as_of" in check.reason


def test_unknown_never_passes() -> None:
    verdict = assess(parse_document(_document(authority="custody-agreement", to="SV")))
    assert any(check.outcome == "unknown" for check in verdict.checks)
    assert not verdict.allowed


def test_context_facts_turn_custody_unknowns_into_outcomes() -> None:
    document = _document(
        authority="custody-agreement",
        to="SV",
        person={"birth_date": "1990-01-01", "citizenships": ["VE"]},
        removal_order={"final": True, "designated_countries": ["SV"]},
        protection_orders=[],
        holds=[],
    )
    facts = ContextFacts(
        contract_in_force=True, contract_has_room=True, standard_place_available=True
    )
    assert assess(parse_document(document), facts).allowed


def test_the_eu_verdict_adds_its_deadlines() -> None:
    document = _document(
        authority="eu-fd-2008-909",
        **{"from": "FR", "to": "DE"},
        person={
            "citizenships": ["DE"],
            "residence_country": "DE",
            "birth_date": "1980-01-01",
            "competent": True,
        },
        consent={"opinion_recorded": True},
    )
    deadlines = assess(parse_document(document)).to_json()["deadlines"]
    assert deadlines == {"decision_days": "2024-08-30", "transfer_days": "2025-03-31"}


def test_invalid_document_names_the_field_and_reason() -> None:
    with pytest.raises(InvalidDocument) as raised:
        parse_document(_document(sentence={"length_days": "ten"}))
    assert raised.value.field == "sentence.length_days"
    assert str(raised.value) == f"sentence.length_days: {raised.value.reason}"
