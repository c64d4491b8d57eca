"""Every form needs its CSRF token; pages carry security headers; errors are clear pages."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from repatria.bootstrap import Container
from tests.web.conftest import csrf_of
from tests.web.scenarios import demo_case

Browsers = Callable[[str | None], TestClient]


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
    browser_for: Browsers, container: Container
) -> None:
    case_id = demo_case(container, "inter-american-1993")
    officer = browser_for("us-case-officer")
    response = officer.post(f"/cases/{case_id}/steps", data={"command": "submit", "version": "1"})
    assert response.status_code == 403
    assert "The form expired" in response.text
    assert 'id="case-state">draft<' in officer.get(f"/cases/{case_id}").text


def test_a_csrf_token_from_another_session_is_refused(browser_for: Browsers) -> None:
    stolen = csrf_of(browser_for("mx-case-officer").get("/dashboard").text)
    officer = browser_for("us-case-officer")
    response = officer.post("/logout", data={"csrf_token": stolen}, follow_redirects=False)
    assert response.status_code == 403


def test_pages_carry_the_security_headers(browser_for: Browsers) -> None:
    response = browser_for("us-case-officer").get("/cases")
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-store"


def test_an_unknown_page_is_a_clear_404_page_while_the_api_keeps_json(
    browser_for: Browsers,
) -> None:
    client = browser_for(None)
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "<h1" in page.text and "What to do" in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_htmx_is_served_from_its_package_not_from_this_repository(
    browser_for: Browsers,
) -> None:
    response = browser_for(None).get("/static/htmx.min.js")
    assert response.status_code == 200 and "htmx" in response.text[:200]
    assert browser_for(None).get("/static/..%2Fpdf.py").status_code == 404
