"""cases.load and load_records give what the ORM loads; a stale version is a Conflict."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, select, update

from repatria.adapters.db import tables as t
from repatria.adapters.db.mapping import PERSON_DETAILS
from repatria.bootstrap import Container
from repatria.domain.cases import Case, CaseState
from repatria.domain.errors import Conflict, NotEligible
from repatria.domain.people import Person
from repatria.domain.workflow import ConsentVerification, Decision, FearClaim, Notice
from repatria.services import case_documents, cases, clock, transitions
from tests.treaty_case import us_case_officer


@pytest.fixture
def database_content() -> str:
    """The demo data: cases at every state."""
    return "demo"


def _fields(case: Case) -> dict[str, object]:
    return {f.name: getattr(case, f.name) for f in dataclasses.fields(Case)}


def test_the_same_values_as_the_orm_and_the_same_instance_within_a_unit(
    container: Container,
) -> None:
    with container.uow() as uow:
        ids = list(uow.session.scalars(select(t.cases.c.id).order_by(t.cases.c.id)))
    for case_id in ids:
        with container.uow() as uow:
            lean = cases.load(uow, case_id)
            assert lean is not None and cases.load(uow, case_id) is lean
            assert uow.session.get(Case, case_id) is lean
            read_lean = _fields(lean)
        with container.uow() as uow:
            by_orm = uow.session.get(Case, case_id)
            assert by_orm is not None and _fields(by_orm) == read_lean
    with container.uow() as uow:
        assert cases.load(uow, max(ids) + 1) is None


def test_a_change_flushes_with_its_version_checked(container: Container) -> None:
    with container.uow() as uow:
        case = cases.load(uow, 1)
        assert case is not None
        version = case.version
        case.state = CaseState.CANCELLED
        uow.commit()
    with container.uow() as uow:
        stored = uow.session.execute(select(t.cases).where(t.cases.c.id == 1)).one()
    assert (stored.state, stored.version) == (CaseState.CANCELLED, version + 1)

    with container.uow() as uow:
        case = cases.load(uow, 1)
        assert case is not None
        # Changed behind the session's back meanwhile (as a concurrent writer would have).
        uow.connection().execute(
            update(t.cases).where(t.cases.c.id == 1).values(version=version + 5)
        )
        case.state = CaseState.SCREENING
        with pytest.raises(Conflict):
            uow.session.flush()


def _values(instance: object) -> dict[str, object]:
    fields = dataclasses.fields(instance)  # type: ignore[arg-type]
    return {
        f.name: (type(v), v) for f in fields if not isinstance(v := getattr(instance, f.name), list)
    }


def test_the_records_the_engine_reads_are_those_the_orm_loads(container: Container) -> None:
    # load_records reads with Core queries; the ORM's instances, loaded with their
    # relationships, are the reference, value and type.
    with container.uow() as uow:
        ids = list(uow.session.scalars(select(t.cases.c.id).order_by(t.cases.c.id)))
    records_seen = 0
    for case_id in ids:
        with container.uow() as uow:
            case = cases.load(uow, case_id)
            assert case is not None
            records = case_documents.load_records(uow, case)
            lean = _record_values(records.person, records)
        with container.uow() as uow:
            person = uow.session.get(Person, records.person.id)
            by_case = {
                name: uow.session.scalars(
                    select(cls).where(table.c.case_id == case_id).order_by(table.c.id)
                ).all()
                for name, cls, table in (
                    ("decisions", Decision, t.decisions),
                    ("consents", ConsentVerification, t.consent_verifications),
                    ("notices", Notice, t.notices),
                )
            }
            claims = uow.session.scalars(
                select(FearClaim)
                .join(Case, Case.id == t.fear_claims.c.case_id)  # type: ignore[arg-type]
                .where(t.cases.c.person_id == records.person.id)
                .order_by(t.fear_claims.c.id)
            ).all()
            by_orm = _record_values(person, SimpleNamespace(**by_case, fear_claims=claims))
        assert lean == by_orm, case_id
        records_seen += sum(len(v) for k, v in lean.items() if k != "person")
    assert records_seen > len(ids)


def _record_values(person: object, records: object) -> dict[str, object]:
    return {
        "person": _values(person),
        **{name: [_values(d) for d in getattr(person, name)] for name, _, _ in PERSON_DETAILS},
        **{
            name: [_values(r) for r in getattr(records, name)]
            for name in ("decisions", "consents", "notices", "fear_claims")
        },
    }


def _a_draft(container: Container) -> int:
    with container.uow() as uow:
        found: int = uow.session.execute(
            select(t.cases.c.id)
            .where(t.cases.c.state == CaseState.DRAFT, t.cases.c.from_state == "US")
            .limit(1)
        ).scalar_one()
        return found


def test_a_step_stores_the_move_and_advances_the_version_once(container: Container) -> None:
    case_id, officer = _a_draft(container), us_case_officer(container)
    with container.uow() as uow:
        case, _ = transitions.take(uow, officer, case_id, transitions.Step("submit", clock.today()))
        version = case.version
        assert not uow.session.dirty  # the move is stored: nothing is left to flush
        uow.commit()
    with container.uow() as uow:
        stored = uow.session.execute(select(t.cases).where(t.cases.c.id == case_id)).one()
    assert (stored.state, stored.version) == (case.state, version)
    assert stored.state is not CaseState.DRAFT


def _events_of(container: Container, case_id: int) -> int:
    with container.uow() as uow:
        counted: int = uow.session.execute(
            select(func.count())
            .select_from(t.events)
            .where(t.events.c.subject_type == "case", t.events.c.subject_id == str(case_id))
        ).scalar_one()
        return counted


def test_a_step_on_a_case_changed_meanwhile_is_refused_and_leaves_nothing(
    container: Container,
) -> None:
    case_id, officer = _a_draft(container), us_case_officer(container)
    recorded = _events_of(container, case_id)
    with container.uow() as uow:
        case = cases.load(uow, case_id)
        assert case is not None
        uow.connection().execute(  # another writer's change, behind this session's back
            update(t.cases).where(t.cases.c.id == case_id).values(version=case.version + 1)
        )
        with pytest.raises(Conflict):
            transitions.take(uow, officer, case_id, transitions.Step("submit", clock.today()))
    with container.uow() as uow:
        stored = uow.session.execute(select(t.cases).where(t.cases.c.id == case_id)).one()
    assert stored.state is CaseState.DRAFT
    assert _events_of(container, case_id) == recorded


def test_a_refused_step_keeps_its_assessment_for_a_caller_that_commits(
    container: Container,
) -> None:
    # A step is refused after its assessment is worked out; the assessment, like every
    # other, is kept if the caller goes on and commits (as the demo's loader does), and the
    # case and its record stay as they were.
    case_id, officer = _a_draft(container), us_case_officer(container)
    with container.uow() as uow:
        transitions.take(uow, officer, case_id, transitions.Step("submit", clock.today()))
        uow.commit()
    recorded = _events_of(container, case_id)
    with container.uow() as uow:
        person = uow.session.scalar(select(t.cases.c.person_id).where(t.cases.c.id == case_id))
        uow.connection().execute(  # no longer a national of the receiving state
            delete(t.citizenships).where(t.citizenships.c.person_id == person)
        )
        with pytest.raises(NotEligible) as refused:
            transitions.take(uow, officer, case_id, transitions.Step("screen", clock.today()))
        uow.commit()
    with container.uow() as uow:
        kept = uow.session.execute(
            select(t.assessments.c.allowed, t.assessments.c.verdict)
            .where(t.assessments.c.case_id == case_id)
            .order_by(t.assessments.c.id.desc())
        ).first()
        state = uow.session.scalar(select(t.cases.c.state).where(t.cases.c.id == case_id))
    assert kept is not None and kept.allowed is False
    assert kept.verdict == refused.value.assessment
    assert state is CaseState.SCREENING
    assert _events_of(container, case_id) == recorded
