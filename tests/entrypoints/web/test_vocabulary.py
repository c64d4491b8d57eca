"""Every fixed value a page shows (roles, stages, steps, kinds) has a name to translate, so
a new stage or role cannot appear untranslated."""

from __future__ import annotations

import enum
import re
from pathlib import Path
from typing import get_args

import pytest

import repatria
import repatria.services
from repatria import i18n
from repatria.domain import (
    accounts,
    cases,
    facilities,
    lifecycle,
    money,
    movements,
    people,
    workflow,
)
from repatria.entrypoints.web import vocabulary
from repatria.law.schema import When

SHOWN = (
    accounts.Role,
    cases.CaseState,
    movements.MovementState,
    money.FeeBasis,
    people.OffenseCategory,
    people.ProtectionKind,
    people.HoldKind,
    workflow.DecisionKind,
    workflow.ConsentGiver,
    workflow.VerifierRole,
    workflow.FearOutcome,
    facilities.SharedRule,
    facilities.Occupancy,
    lifecycle.Side,
)


@pytest.mark.parametrize("kind", SHOWN, ids=lambda kind: kind.__name__)
def test_every_value_shown_has_a_name(kind: type[enum.Enum]) -> None:
    named = set(vocabulary.NAMES) | set(vocabulary.LAW_WORDS)
    missing = [member.value for member in kind if member.value not in named]
    assert not missing


@pytest.mark.parametrize(
    ("code", "english", "spanish"),
    [
        ("waived", "waived", "dispensado"),
        ("drug_trafficking", "drug trafficking", "delito contra la salud (narcotráfico)"),
        ("guardian", "guardian", "el tutor"),
    ],
)
def test_an_outcome_an_offence_and_who_consents_are_named_as_the_law_names_them(
    code: str, english: str, spanish: str
) -> None:
    # One definition (law/terms.py), the words the engine's reasons use too.
    with i18n.use_locale("en_US"):
        assert vocabulary.words(code) == english
    with i18n.use_locale("es_MX"):
        assert vocabulary.words(code) == spanish


def test_the_legal_officer_is_named_in_english_and_in_spanish() -> None:
    with i18n.use_locale("en_US"):
        english = vocabulary.role_name("legal_officer")
    with i18n.use_locale("es_SV"):
        spanish = vocabulary.role_name("legal_officer")
    assert (english, spanish) == ("legal officer", "asesor jurídico")


def test_every_step_of_both_lifecycles_has_a_name() -> None:
    steps = {t.command for track in lifecycle.LIFECYCLES.values() for t in track}
    assert steps <= set(vocabulary.STEPS)


def test_every_step_of_a_movement_has_a_name() -> None:
    assert set(movements.MOVEMENT_STEPS) <= set(vocabulary.STEPS)


def test_every_case_a_rule_applies_in_has_a_name() -> None:
    assert set(get_args(When)) <= set(vocabulary.NAMES)


def test_every_step_summary_is_marked_for_translation() -> None:
    summaries = {t.summary for track in lifecycle.LIFECYCLES.values() for t in track}
    assert summaries <= set(vocabulary.SUMMARIES)


def test_every_kind_of_subject_the_services_record_has_a_name() -> None:
    services = Path(repatria.services.__file__).parent
    recorded = set()
    for source in services.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        recorded |= set(re.findall(r'\.record\(\s*\w+,\s*"\w+",\s*"(\w+)"', text))
    assert recorded and recorded <= set(vocabulary.SUBJECTS)


def test_every_kind_of_record_a_refusal_may_not_find_has_a_name() -> None:
    source = Path(repatria.__file__).parent
    kinds = set()
    for module in source.rglob("*.py"):
        kinds |= set(re.findall(r'NotFound\(\s*"([a-z ]+)"', module.read_text(encoding="utf-8")))
    assert kinds and kinds <= set(vocabulary.THINGS)


def test_a_stage_reads_in_the_readers_language() -> None:
    with i18n.use_locale("es_MX"):
        assert vocabulary.words(cases.CaseState.SENDING_REVIEW) == "revisión del Estado trasladante"
        assert vocabulary.role_name(accounts.Role.REVIEWER) == "funcionario dictaminador"
    with i18n.use_locale("en_US"):
        assert vocabulary.words(cases.CaseState.SENDING_REVIEW) == "sending review"
