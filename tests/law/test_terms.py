"""The law's closed lists have their words in English and Spanish: a ground, outcome or code
added later without its Spanish fails here."""

from __future__ import annotations

from typing import get_args

import pytest

from repatria.law import document_parts
from repatria.law.checks import CHECKS
from repatria.law.language import Words
from repatria.law.schema import GROUNDS
from repatria.law.terms import CONSENT_GIVERS, FEAR_OUTCOMES, OFFENSES, OUTCOMES, VERIFIERS
from repatria.law.terms import GROUNDS as GROUND_WORDS
from repatria.law.verdict import Outcome


@pytest.mark.parametrize(
    ("codes", "words"),
    [
        (GROUNDS, GROUND_WORDS),
        (get_args(Outcome), OUTCOMES),
        (get_args(document_parts.OffenseCategory), OFFENSES),
        (get_args(document_parts.ConsentGiver), CONSENT_GIVERS),
        (get_args(document_parts.Verifier), VERIFIERS),
        (get_args(document_parts.FearOutcome), FEAR_OUTCOMES),
    ],
)
def test_every_code_of_a_closed_list_has_english_and_spanish(
    codes: tuple[str, ...], words: dict[str, Words]
) -> None:
    assert set(words) == set(codes)
    for code in codes:
        assert words[code].en.strip() and words[code].es.strip(), code
        assert words[code].es != words[code].en, code


def test_grounds_and_outcomes_read_as_mexican_officials_write_them() -> None:
    assert GROUND_WORDS["DUAL_CRIMINALITY"]("es") == "doble incriminación"
    assert GROUND_WORDS["CONSENT"]("es") == "consentimiento"
    assert OUTCOMES["waived"]("es") == "dispensado"
    assert OUTCOMES["fail"]("en") == "not met"


def test_every_check_has_a_title_in_english_and_spanish() -> None:
    for name, definition in CHECKS.items():
        title = definition.title
        assert title.en.strip() and title.es.strip(), name
        assert title.es != title.en, name
    assert CHECKS["dual-criminality"].title("es") == "Doble incriminación"
