"""Every form needs its CSRF token; pages carry security headers; errors are clear pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from repatria.bootstrap import Container
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.security import HEADERS, PAGE_POLICY
from tests.web.conftest import BASE_URL, csrf_of
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


BEYOND_RANGE = 10**20  # more than a signed 64-bit id can hold


@pytest.mark.parametrize(
    "path",
    [
        f"/cases/{BEYOND_RANGE}",
        f"/cases/{BEYOND_RANGE}/summary.pdf",
        f"/people/{BEYOND_RANGE}",
        f"/movements/{BEYOND_RANGE}",
        f"/movements/{BEYOND_RANGE}/manifest.pdf",
    ],
)
def test_a_case_id_beyond_the_database_range_is_a_404_page(
    browser_for: Browsers, path: str
) -> None:
    response = browser_for("us-case-officer").get(path)
    assert response.status_code == 404
    assert "Not found" in response.text and "What to do" in response.text


def test_the_go_back_link_never_leads_off_the_site(browser_for: Browsers) -> None:
    client = browser_for(None)
    for referer in (
        f"{BASE_URL}//evil.example/cases",
        f"{BASE_URL}/\\evil.example",
        "https://evil.example/cases",
        "//evil.example",
    ):
        page = client.get("/no-such-page", headers={"Referer": referer}).text
        assert '<a href="/">Go back</a>' in page, referer


def test_the_go_back_link_returns_to_the_referring_page_of_this_site(
    browser_for: Browsers,
) -> None:
    client = browser_for("us-case-officer")
    referer = f"{BASE_URL}/cases?state=draft"
    page = client.get("/no-such-page", headers={"Referer": referer}).text
    assert '<a href="/cases?state=draft">Go back</a>' in page


@pytest.fixture
def failing_page(app: FastAPI) -> Iterator[str]:
    """A page of the test's own whose code fails, as a bug would; taken away afterwards, since
    the application is shared by the session's tests."""
    served = list(app.router.routes)
    router = web_router()

    @router.get("/test-only/failure")
    def failure() -> None:
        raise RuntimeError("a failure no handler explains")

    app.include_router(router)
    yield "/test-only/failure"
    app.router.routes[:] = served


def test_every_error_page_carries_the_security_headers(
    app: FastAPI, browser_for: Browsers, container: Container, failing_page: str
) -> None:
    case_id = demo_case(container, "inter-american-1993")
    failing = failing_page
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get(f"/cases/{case_id}").text)
    steps = f"/cases/{case_id}/steps"
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as crashing:
        crashing.cookies = officer.cookies
        answers = {
            404: officer.get("/no-such-page"),
            405: officer.delete("/cases"),
            413: officer.post(steps, content=b"x" * (1024 * 1024 + 1)),
            422: officer.post(
                steps, data={"command": "submit", "version": "x", "csrf_token": token}
            ),
            500: crashing.get(failing),
        }
    for status, response in answers.items():
        assert response.status_code == status
        assert response.headers["content-type"].startswith("text/html"), status
        assert "What to do" in response.text, status
        for name, value in HEADERS.items():
            assert response.headers[name] == value, (status, name)
        assert response.headers["content-security-policy"] == PAGE_POLICY, status
