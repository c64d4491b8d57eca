"""The impact of an amendment on open cases: vectorised with the screening engine, with and
without it, today and at each planned departure; cases flip both ways, with the rules
responsible; when it takes effect each changed case gets an event its states see."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.domain.amendments import LawAmendment
from repatria.law.catalog import load_catalog
from repatria.law.held import AmendmentText
from repatria.services import amendments, clock, impact
from repatria.services.amendments import DecideAmendment, ProposeAmendment
from repatria.services.assessments import EXAMPLE
from repatria.services.impact import compare
from repatria.services.ports.cases import OpenCases
from tests.amendment_texts import COLOMBIA_ACCEDES, TEN_YEARS

EXAMPLE_DAY = date(2025, 4, 11)


def _law_with(text: str, target: str) -> Any:
    return load_catalog([AmendmentText(1, "authorities", target, text, "test.yaml")])


def _to_colombia() -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    document.update(authority="coe-ets-112", to="CO")
    document["person"]["citizenships"] = ["CO"]
    return document


def _open(*cases: tuple[int, str, tuple[str, str], date | None, str]) -> OpenCases:
    """Open cases as the database gives them: (id, reference, states, departure, document)."""
    return OpenCases(
        [case[0] for case in cases],
        [case[1] for case in cases],
        [case[2][0] for case in cases],
        [case[2][1] for case in cases],
        [case[3] for case in cases],
        [case[4] for case in cases],
    )


def test_a_longer_minimum_refuses_an_allowed_case_today_and_at_departure() -> None:
    case = _open((1, "A", ("US", "MX"), date(2025, 5, 1), json.dumps(EXAMPLE)))
    with_it = _law_with(TEN_YEARS, "us-mx-1976")
    changes = compare(case, load_catalog(), with_it, EXAMPLE_DAY)
    assert [(c.when, c.on) for c in changes] == [
        ("departure", date(2025, 5, 1)),
        ("today", EXAMPLE_DAY),
    ]
    for change in changes:
        assert (change.allowed_before, change.allowed_after) == (True, False)
        assert (change.grounds_before, change.grounds_after) == ("", "REMAINING_SENTENCE")
        assert "us-mx-1976/remaining-sentence" in change.rules


def test_an_accession_allows_a_case_the_authority_refused() -> None:
    case = _open((2, "B", ("US", "CO"), None, json.dumps(_to_colombia())))
    with_it = _law_with(COLOMBIA_ACCEDES, "coe-ets-112")
    [change] = compare(case, load_catalog(), with_it, EXAMPLE_DAY)
    assert (change.when, change.allowed_before, change.allowed_after) == ("today", False, True)
    assert (change.grounds_before, change.grounds_after) == ("AUTHORITY", "")
    assert change.rules == ("coe-ets-112/in-force",)


def test_cases_the_amendment_does_not_touch_are_not_listed() -> None:
    cases = _open((1, "A", ("US", "MX"), None, json.dumps(EXAMPLE)))
    with_it = _law_with(COLOMBIA_ACCEDES, "coe-ets-112")
    assert compare(cases, load_catalog(), with_it, EXAMPLE_DAY) == []


@pytest.fixture
def database_content() -> str:
    """The demo data: open US-to-Mexico cases, assessed at each step."""
    return "demo"


def _principal(container: Container, username: str) -> Principal:
    with container.uow() as uow:
        row = uow.session.execute(
            select(t.users.c.id, t.users.c.role, t.users.c.organisation_id, t.organisations.c.state)
            .join(t.organisations, t.organisations.c.id == t.users.c.organisation_id)
            .where(t.users.c.username == username)
        ).one()
    return Principal(row.id, username, Role(row.role), row.organisation_id, row.state)


def test_taking_effect_tells_each_changed_open_case(container: Container) -> None:
    proposer = _principal(container, "us-legal-officer")
    approver = _principal(container, "us-admin")
    command = ProposeAmendment(title="Ten years", file_name="ten.yaml", text=TEN_YEARS)
    with container.uow() as uow:
        amendment = amendments.propose(uow, proposer, command)
        uow.commit()
    assert amendment.id is not None
    # A Salvadoran user: the cases are US-Mexico ones, none of its business.
    elsewhere = Principal(None, "sv-user", Role.LEGAL_OFFICER, None, "SV")
    with container.uow() as uow:
        found = amendments.get_or_raise(uow, proposer, amendment.id)
        listed = impact.impact(uow, proposer, found)
        hidden = impact.impact(uow, elsewhere, found)
    refused_today = {c.case_id for c in listed if c.when == "today" and not c.allowed_after}
    assert refused_today and hidden == []
    assert all(c.states == ("US", "MX") for c in listed)
    later = clock.today() + timedelta(days=3)
    with container.uow() as uow:
        amendments.decide(
            uow, approver, amendment.id, DecideAmendment(approve=True, effective_on=later)
        )
        assert impact.announce(uow, approver) == 0  # not in effect yet: nothing to tell
        assert impact.announce(uow, approver, on=later) == len(
            [c for c in listed if c.when == "today"]
        ) + len([c for c in listed if c.when == "departure"])
        uow.commit()
    with container.uow() as uow:
        told = uow.session.execute(
            select(t.events.c.subject_id, t.events.c.states).where(
                t.events.c.command == "LawAmendmentTookEffect"
            )
        ).all()
        assert impact.announce(uow, approver, on=later) == 0  # once per amendment
    assert refused_today <= {int(row.subject_id) for row in told}
    assert all(row.states == ["MX", "US"] for row in told)


def test_the_demo_stay_of_the_dvd_injunction_reaches_its_third_country_removals(
    container: Container,
) -> None:
    with container.uow() as uow:
        stay = uow.session.scalar(
            select(LawAmendment).where(t.law_amendments.c.file_name == "dvd-stay.yaml")
        )
        assert stay is not None
        changes = impact.impact(uow, Principal.system("test"), stay)
        removals = set(
            uow.session.scalars(
                select(t.cases.c.reference).where(t.cases.c.authority == "us-third-country-removal")
            )
        )
    assert {change.reference for change in changes} == removals and len(removals) == 2
    for change in changes:
        assert change.rulings == ("Supreme Court of the United States, 2025-06-23",)
        # The shipped law already applies the stay's effect on notices from that day.
        assert change.allowed_before == change.allowed_after
        assert change.grounds_before == change.grounds_after
