"""Assessing a pasted document in the browser, and replaying a stored assessment."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.services import amendments
from repatria.services.amendments import DecideAmendment, ProposeAmendment
from repatria.services.unit_of_work import UnitOfWork
from tests.amendment_texts import COLOMBIA_ACCEDES
from tests.web.conftest import csrf_of

Browsers = Callable[[str | None], TestClient]


def test_a_pasted_document_is_assessed_stored_and_reproduced(browser_for: Browsers) -> None:
    officer = browser_for("us-case-officer")
    form = officer.get("/assessments/new")
    assert form.status_code == 200 and "Assessment document (JSON)" in form.text
    document = {"authority": "us-mx-1976", "from": "US", "to": "MX", "as_of": "2025-04-11"}
    result = officer.post(
        "/assessments", data={"document": json.dumps(document), "csrf_token": csrf_of(form.text)}
    )
    assert result.status_code == 200 and re.search(r"/assessments/\d+$", str(result.url))
    assert "Not allowed" in result.text and "reproduced exactly" in result.text
    assert '<span class="outcome unknown">' in result.text


def test_a_document_that_is_not_json_comes_back_as_pasted_with_the_reason_beside_it(
    browser_for: Browsers,
) -> None:
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get("/assessments/new").text)
    response = officer.post("/assessments", data={"document": "{nope", "csrf_token": token})
    assert response.status_code == 422
    assert ">{nope</textarea>" in response.text
    assert 'id="e-assessment-document">' in response.text


def test_an_auditor_may_not_assess(browser_for: Browsers) -> None:
    auditor = browser_for("us-auditor")
    token = csrf_of(auditor.get("/dashboard").text)
    response = auditor.post("/assessments", data={"document": "{}", "csrf_token": token})
    assert response.status_code == 403


def test_a_document_with_a_key_given_twice_is_refused_as_the_api_refuses_it(
    browser_for: Browsers,
) -> None:
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get("/assessments/new").text)
    document = '{"authority": "us-mx-1976", "authority": "inter-american-1993"}'
    response = officer.post("/assessments", data={"document": document, "csrf_token": token})
    assert response.status_code == 422
    alert = response.text.split('role="alert"', 1)[1].split("</p>", 1)[0]
    assert "authority: appears twice in the same object" in alert
    assert "inter-american-1993&#34;}</textarea>" in response.text  # kept as pasted


def test_a_stored_assessment_says_whether_it_reproduces_under_the_law_it_recorded(
    browser_for: Browsers, container: Container
) -> None:
    """Made yesterday, before Colombia's accession was approved: today's law gives another
    verdict, and the page says the one on record is reproduced under the law it recorded."""
    officer = browser_for("us-case-officer")
    form = officer.get("/assessments/new")
    document = {"authority": "coe-ets-112", "from": "US", "to": "CO", "as_of": "2026-01-05"}
    result = officer.post(
        "/assessments", data={"document": json.dumps(document), "csrf_token": csrf_of(form.text)}
    )
    page = str(result.url)
    assessment_id = int(page.rsplit("/", 1)[1])
    with container.uow() as uow:
        made = uow.session.scalar(
            select(t.assessments.c.requested_at).where(t.assessments.c.id == assessment_id)
        )
        assert made is not None
        uow.session.execute(
            t.assessments.update()
            .where(t.assessments.c.id == assessment_id)
            .values(requested_at=made - timedelta(days=1))
        )
        proposed = amendments.propose(
            uow,
            _principal(uow, "us-legal-officer"),
            ProposeAmendment(title="Colombia", file_name="co.yaml", text=COLOMBIA_ACCEDES),
        )
        assert proposed.id is not None
        amendments.decide(
            uow,
            _principal(uow, "us-admin"),
            proposed.id,
            DecideAmendment.model_validate({"approve": True}),
        )
        uow.commit()
    replayed = officer.get(page).text
    assert "the verdict differs from the stored one" in replayed
    assert "Under the law it recorded, it is reproduced exactly." in replayed


def _principal(uow: UnitOfWork, username: str) -> Principal:
    row = uow.session.execute(
        select(t.users.c.id, t.users.c.role, t.users.c.organisation_id, t.organisations.c.state)
        .join(t.organisations, t.organisations.c.id == t.users.c.organisation_id)
        .where(t.users.c.username == username)
    ).one()
    return Principal(row.id, username, Role(row.role), row.organisation_id, row.state)
