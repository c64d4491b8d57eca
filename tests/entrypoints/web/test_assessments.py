"""Assessing a pasted document in the browser, and replaying a stored assessment."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

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


def test_a_document_that_is_not_json_is_a_422_page_naming_the_field(
    browser_for: Browsers,
) -> None:
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get("/assessments/new").text)
    response = officer.post("/assessments", data={"document": "{nope", "csrf_token": token})
    assert response.status_code == 422 and "<code>document</code>" in response.text


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
    assert "<code>authority</code>: appears twice in the same object" in response.text
