"""A step's verdict worked out ahead of its transaction (SQLite) is kept only if nothing it was
worked out from has changed by then; on PostgreSQL nothing is worked out ahead."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.domain.cases import CaseState
from repatria.domain.errors import NotEligible
from repatria.law.catalog import load_catalog
from repatria.law.document import parse_document
from repatria.law.engine import assess as engine_assess
from repatria.law.facts import ContextFacts
from repatria.services import assessments, case_documents, case_facts, cases, clock, transitions
from repatria.services.case_documents import build_document
from repatria.services.case_facts import AssertCaseFacts
from tests.treaty_case import FACTS, us_case_officer

TODAY = clock.today()


@pytest.fixture
def database_content() -> str:
    """The demo data: cases at every state."""
    return "demo"


def _a_draft_with_facts(container: Container, officer: Principal) -> int:
    with container.uow() as uow:
        case_id: int = uow.session.execute(
            select(t.cases.c.id)
            .where(
                t.cases.c.state == CaseState.DRAFT,
                t.cases.c.from_state == "US",
                t.cases.c.authority == "us-mx-1976",
            )
            .limit(1)
        ).scalar_one()
        case_facts.assert_facts(uow, officer, case_id, AssertCaseFacts.model_validate(FACTS))
        uow.commit()
    return case_id


def _document_now(container: Container, officer: Principal, case_id: int) -> dict[str, Any]:
    with container.uow() as uow:
        case = cases.get_or_raise(uow, officer, case_id)
        return build_document(case_documents.load_records(uow, case), TODAY)


def _submit(container: Container, officer: Principal, case_id: int) -> dict[str, Any]:
    """Submit the case as the server does (a gated unit); the verdict the step went by."""
    with container.uow(gated=True) as uow:
        try:
            _, assessment = transitions.take(
                uow, officer, case_id, transitions.Step("submit", TODAY)
            )
        except NotEligible as refused:
            return refused.assessment
        uow.commit()
        assert assessment.document == _document_now(container, officer, case_id)
        return assessment.verdict


def test_a_verdict_foreseen_before_the_records_changed_is_not_the_one_stepped_by(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = us_case_officer(container)
    target = _a_draft_with_facts(container, officer)
    foreseen: list[assessments.Foresight] = []
    real = assessments.foresee

    def foresee_then_another_writer_changes_the_case(
        uow: Any, document: dict[str, Any], *, case_id: int | None
    ) -> assessments.Foresight:
        made = real(uow, document, case_id=case_id)
        foreseen.append(made)
        with container.uow() as other:  # between the snapshot and the step's transaction
            changed = {**FACTS, "sentence_dual_criminality": False}
            case_facts.assert_facts(other, officer, target, _facts(changed))
            other.commit()
        return made

    monkeypatch.setattr(assessments, "foresee", foresee_then_another_writer_changes_the_case)
    sqlite = container.engine.dialect.name == "sqlite"
    if not sqlite:  # nothing is worked out ahead on PostgreSQL: the other writer goes first
        with container.uow() as other:
            changed = {**FACTS, "sentence_dual_criminality": False}
            case_facts.assert_facts(other, officer, target, _facts(changed))
            other.commit()
    verdict = _submit(container, officer, target)

    assert len(foreseen) == (1 if sqlite else 0)
    now = _document_now(container, officer, target)
    assert now["sentence"]["dual_criminality"] is False
    assert verdict == assessments.evaluate(now)
    if foreseen:
        assert foreseen[0].document["sentence"]["dual_criminality"] is True
        assert verdict != foreseen[0].verdict


def _facts(values: dict[str, Any]) -> AssertCaseFacts:
    return AssertCaseFacts.model_validate(values)


def test_a_verdict_foreseen_on_unchanged_records_is_kept_and_the_engine_runs_once(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = us_case_officer(container)
    case_id = _a_draft_with_facts(container, officer)
    runs: list[object] = []
    real = engine_assess

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(assessments, "assess", counted)
    verdict = _submit(container, officer, case_id)

    assert len(runs) == 1
    assert verdict == assessments.evaluate(_document_now(container, officer, case_id))


def test_only_an_untouched_gated_unit_on_sqlite_reads_ahead(container: Container) -> None:
    sqlite = container.engine.dialect.name == "sqlite"
    with container.uow(gated=True) as uow:
        ahead = uow.reading_ahead()
        assert (ahead is not None) is sqlite
        if ahead is not None:
            with ahead:
                assert ahead.session.scalar(select(t.cases.c.id).limit(1)) is not None
        uow.connection()  # touched: its transaction (and on SQLite the write lock) has begun
        assert uow.reading_ahead() is None
    with container.uow() as uow:
        assert uow.reading_ahead() is None


def test_a_foreseen_verdict_is_kept_only_for_the_same_document_facts_and_law(
    container: Container,
) -> None:
    officer = us_case_officer(container)
    document = assessments.EXAMPLE
    parsed = parse_document(document)
    facts = ContextFacts(contract_in_force=True, contract_has_room=True)
    digest = load_catalog().digest
    marked = {**assessments.evaluate(dict(document), facts), "marked": "the foreseen one"}

    def stored(foreseen: assessments.Foresight, facts: ContextFacts) -> dict[str, Any]:
        with container.uow() as uow:
            made = assessments.record(
                uow, officer, dict(document), facts=facts, check_role=False, foreseen=foreseen
            )
            return made.verdict

    same = assessments.Foresight(dict(document), parsed, facts, marked, digest)
    assert stored(same, facts) is marked
    fuller = ContextFacts(contract_in_force=True, contract_has_room=False)
    assert stored(same, fuller) == assessments.evaluate(dict(document), fuller)
    older_law = assessments.Foresight(dict(document), parsed, facts, marked, "0" * 64)
    assert stored(older_law, facts) == assessments.evaluate(dict(document), facts)
    other = {**document, "as_of": "2025-04-12"}
    elsewhere = assessments.Foresight(other, parsed, facts, marked, digest)
    assert stored(elsewhere, facts) == assessments.evaluate(dict(document), facts)
