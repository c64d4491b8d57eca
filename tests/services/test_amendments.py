"""Amendments under review: a legal officer proposes, a second person of the same state
approves with the day it takes effect (four eyes) or rejects; each step is an event; the
approved amendment is layered over the shipped law from its day, and assessments say so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.domain.amendments import AmendmentStatus
from repatria.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from repatria.law.catalog import load_catalog
from repatria.services import amendments, assessments, clock, law_in_force
from repatria.services.amendments import DecideAmendment, OverlayRefused, ProposeAmendment
from tests.amendment_texts import COLOMBIA_ACCEDES

TODAY = clock.today()
US_TO_COLOMBIA = {
    "authority": "coe-ets-112",
    "from": "US",
    "to": "CO",
    "as_of": TODAY.isoformat(),
}


@pytest.fixture
def database_content() -> str:
    """The demo data: users of every role in the US, Mexico and El Salvador."""
    return "demo"


def _principal(container: Container, username: str) -> Principal:
    with container.uow() as uow:
        row = uow.session.execute(
            select(t.users.c.id, t.users.c.role, t.users.c.organisation_id, t.organisations.c.state)
            .join(t.organisations, t.organisations.c.id == t.users.c.organisation_id)
            .where(t.users.c.username == username)
        ).one()
    return Principal(row.id, username, Role(row.role), row.organisation_id, row.state)


def _propose(container: Container, who: str, text: str = COLOMBIA_ACCEDES) -> int:
    command = ProposeAmendment(title="Colombia accedes", file_name="colombia.yaml", text=text)
    with container.uow() as uow:
        found = amendments.propose(uow, _principal(container, who), command)
        uow.commit()
    assert found.id is not None
    return found.id


def _decide(container: Container, who: str, amendment_id: int, **fields: object) -> None:
    command = DecideAmendment.model_validate({"approve": True, **fields})
    with container.uow() as uow:
        amendments.decide(uow, _principal(container, who), amendment_id, command)
        uow.commit()


def _events(container: Container, amendment_id: int) -> list[tuple[str, str]]:
    with container.uow() as uow:
        rows = uow.session.execute(
            select(t.events.c.command, t.events.c.actor)
            .where(t.events.c.subject_type == "law_amendment")
            .where(t.events.c.subject_id == str(amendment_id))
            .order_by(t.events.c.seq)
        )
        return [(row.command, row.actor) for row in rows]


def test_an_approved_amendment_is_law_from_its_day_and_each_step_is_an_event(
    container: Container,
) -> None:
    amendment_id = _propose(container, "us-legal-officer")
    _decide(container, "us-admin", amendment_id, reason="the accession is published")
    assert _events(container, amendment_id) == [
        ("ProposeLawAmendment", "us-legal-officer"),
        ("ApproveLawAmendment", "us-admin"),
    ]
    officer = _principal(container, "us-case-officer")
    with container.uow() as uow:
        catalog = law_in_force.catalog_of(uow)
        parties = {party.state for party in catalog.authorities["coe-ets-112"].parties}
        stored = assessments.record(uow, officer, dict(US_TO_COLOMBIA))
        uow.commit()
    assert "CO" in parties
    assert stored.law_digest == catalog.digest != load_catalog().digest
    assert not any(
        check["rule"].endswith("/in-force") and check["outcome"] == "fail"
        for check in stored.verdict["checks"]
    )


def test_the_proposer_may_not_approve_their_own_amendment(container: Container) -> None:
    amendment_id = _propose(container, "us-legal-officer")
    with pytest.raises(PermissionDenied, match="four eyes"):
        _decide(container, "us-legal-officer", amendment_id)
    assert _events(container, amendment_id) == [("ProposeLawAmendment", "us-legal-officer")]


def test_another_state_neither_sees_nor_decides_a_proposal(container: Container) -> None:
    amendment_id = _propose(container, "us-legal-officer")
    with pytest.raises(NotFound):
        _decide(container, "mx-legal-officer", amendment_id)
    with container.uow() as uow:
        listed = amendments.list_amendments(uow, _principal(container, "mx-legal-officer"))
    assert amendment_id not in [found.id for found in listed]


@pytest.mark.parametrize("who", ["us-case-officer", "us-reviewer", "us-admin", "us-auditor"])
def test_only_a_legal_officer_proposes(container: Container, who: str) -> None:
    with pytest.raises(PermissionDenied):
        _propose(container, who)


def test_a_case_officer_may_not_approve(container: Container) -> None:
    amendment_id = _propose(container, "us-legal-officer")
    with pytest.raises(PermissionDenied):
        _decide(container, "us-case-officer", amendment_id)


def test_a_rejected_amendment_is_never_law_and_is_decided_once(container: Container) -> None:
    amendment_id = _propose(container, "us-legal-officer")
    _decide(container, "us-admin", amendment_id, approve=False, reason="not yet published")
    admin = _principal(container, "us-admin")
    with container.uow() as uow:
        status = amendments.get_or_raise(uow, admin, amendment_id).status
        catalog = law_in_force.catalog_of(uow)
    assert status is AmendmentStatus.REJECTED
    assert "CO" not in {party.state for party in catalog.authorities["coe-ets-112"].parties}
    with pytest.raises(Conflict, match="already rejected"):
        _decide(container, "us-admin", amendment_id)
    assert [command for command, _ in _events(container, amendment_id)] == [
        "ProposeLawAmendment",
        "RejectLawAmendment",
    ]


def test_an_amendment_taking_effect_later_is_not_law_until_its_day(container: Container) -> None:
    amendment_id = _propose(container, "us-legal-officer")
    later = TODAY + timedelta(days=10)
    _decide(container, "us-admin", amendment_id, effective_on=later.isoformat())
    with container.uow() as uow:
        now = law_in_force.catalog_of(uow)
        then = law_in_force.catalog_of(uow, known_on=later)
    assert "CO" not in {party.state for party in now.authorities["coe-ets-112"].parties}
    assert "CO" in {party.state for party in then.authorities["coe-ets-112"].parties}


def test_an_amendment_may_not_take_effect_before_it_is_approved(container: Container) -> None:
    amendment_id = _propose(container, "us-legal-officer")
    earlier = TODAY - timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        _decide(container, "us-admin", amendment_id, effective_on=earlier.isoformat())
    assert refused.value.field == "effective_on"


def test_a_bad_overlay_is_refused_with_its_file_line_and_reason(container: Container) -> None:
    unknown = COLOMBIA_ACCEDES.replace(
        "    verified: true\n", "    verified: true\n    seen_by: a clerk\n"
    )
    with pytest.raises(OverlayRefused) as refused:
        _propose(container, "us-legal-officer", unknown)
    error = refused.value.error
    assert (error.file, error.line) == ("colombia.yaml", 6)
    assert "unknown key 'seen_by'" in error.reason
    with container.uow() as uow:
        stored = select(t.law_amendments.c.id).where(
            t.law_amendments.c.file_name == "colombia.yaml"
        )
        assert uow.session.scalar(stored) is None


def test_an_overlay_that_would_change_history_is_refused(container: Container) -> None:
    rewrite = """\
amends: coe-ets-112
parameters:
  minimum_months_remaining:
    values:
      - from: 1985-07-01
        value: 3
        citation: {title: "A rewrite"}
        verified: true
        source: nowhere
"""
    with pytest.raises(OverlayRefused) as refused:
        _propose(container, "us-legal-officer", rewrite)
    assert refused.value.error.line == 5
    assert "never change or remove" in refused.value.error.reason


def test_a_stored_assessment_replays_under_the_law_it_recorded(container: Container) -> None:
    """An auditor's question: was the decision right by the law of its day? An assessment
    made yesterday, before Colombia's accession was approved, no longer reproduces on
    today's law, and still reproduces exactly under the law it recorded."""
    officer = _principal(container, "us-case-officer")
    with container.uow() as uow:
        stored = assessments.record(uow, officer, dict(US_TO_COLOMBIA))
        stored_id, digest = stored.id, stored.law_digest
        uow.session.execute(
            t.assessments.update()
            .where(t.assessments.c.id == stored_id)
            .values(requested_at=stored.requested_at - timedelta(days=1))
        )
        uow.commit()
    assert stored_id is not None and digest == load_catalog().digest
    _decide(container, "us-admin", _propose(container, "us-legal-officer"))
    with container.uow() as uow:
        replayed = assessments.replay(uow, officer, stored_id)
        assert replayed.law_changed and not replayed.same_verdict
        assert replayed.recorded_law_rebuilt
        assert replayed.then_digest == digest
        assert replayed.reproduces_under_recorded_law is True
        assert replayed.explanation().endswith("under the law it recorded, reproduced exactly")
