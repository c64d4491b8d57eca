"""The amendments pages: a legal officer uploads an overlay, a bad one is refused naming its
file, line and reason; a second person approves it; the page lists the cases it changes."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.amendment_texts import TEN_YEARS
from tests.web.conftest import csrf_of

Browsers = Callable[[str | None], TestClient]


def _upload(client: TestClient, text: str) -> object:
    token = csrf_of(client.get("/law/amendments").text)
    return client.post(
        "/law/amendments",
        data={"title": "Ten years", "csrf_token": token},
        files={"file": ("ten-years.yaml", text.encode(), "application/yaml")},
        follow_redirects=False,
    )


def test_an_uploaded_overlay_is_reviewed_and_shows_the_cases_it_changes(
    browser_for: Browsers,
) -> None:
    officer = browser_for("us-legal-officer")
    response = _upload(officer, TEN_YEARS)
    assert response.status_code == 303  # type: ignore[attr-defined]
    page_path = response.headers["location"]  # type: ignore[attr-defined]
    page = officer.get(page_path).text
    assert "amends us-mx-1976: 1 dated value" in page and "us-mx-1976/remaining-sentence" in page
    assert "Approve" not in page  # four eyes: the proposer is not offered the decision
    admin = browser_for("us-admin")
    review = admin.get(page_path).text
    decided = admin.post(
        f"{page_path}/decision",
        data={"decision": "approve", "reason": "published", "csrf_token": csrf_of(review)},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    listed = browser_for("mx-case-officer").get("/law/amendments").text
    assert "Ten years" in listed and "us-legal-officer" in listed and "us-admin" in listed


def test_a_bad_upload_is_refused_naming_file_line_and_reason(browser_for: Browsers) -> None:
    officer = browser_for("us-legal-officer")
    response = _upload(
        officer, TEN_YEARS.replace("        value: 120\n", "        value: 120\n        valu: 3\n")
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "ten-years.yaml, line 7" in text and "valu" in text


def test_other_roles_are_not_offered_the_form(browser_for: Browsers) -> None:
    assert "Propose an amendment" not in browser_for("us-case-officer").get("/law/amendments").text
    assert "Propose an amendment" in browser_for("mx-legal-officer").get("/law/amendments").text


def test_a_completed_movement_shows_the_verdict_by_what_was_known_at_departure(
    browser_for: Browsers, container: Container
) -> None:
    officer = browser_for("us-legal-officer")
    page_path = _upload(officer, TEN_YEARS).headers["location"]  # type: ignore[attr-defined]
    admin = browser_for("us-admin")
    admin.post(
        f"{page_path}/decision",
        data={"decision": "approve", "csrf_token": csrf_of(admin.get(page_path).text)},
    )
    with container.uow() as uow:
        completed = uow.session.scalar(
            select(t.cases.c.id).where(t.cases.c.state == "completed").limit(1)
        )
    page = browser_for("us-case-officer").get(f"/cases/{completed}").text
    assert 'id="hindsight"' in page
    today, then = page.split("by today's law:")[1].split("by what Repatria knew that day:")
    assert "refused" in today and "us-mx-1976/remaining-sentence" in today
    assert then.split("</li>")[0].strip() == "allowed"
    assert "The law learned since the departure gives another answer." in page


def test_cases_an_amendment_changed_appear_on_the_officers_dashboards(
    browser_for: Browsers,
) -> None:
    page_path = _upload(browser_for("us-legal-officer"), TEN_YEARS).headers["location"]  # type: ignore[attr-defined]
    admin = browser_for("us-admin")
    admin.post(
        f"{page_path}/decision",
        data={"decision": "approve", "csrf_token": csrf_of(admin.get(page_path).text)},
    )
    for officer in ("us-case-officer", "mx-case-officer"):
        dashboard = browser_for(officer).get("/dashboard").text
        assert 'id="law-changes"' in dashboard and "allowed → refused" in dashboard
    assert 'id="law-changes"' not in browser_for("sv-case-officer").get("/dashboard").text


def test_the_law_pages_show_an_approved_amendment(browser_for: Browsers) -> None:
    page_path = _upload(browser_for("us-legal-officer"), TEN_YEARS).headers["location"]  # type: ignore[attr-defined]
    before = browser_for(None).get("/law/us-mx-1976").text
    admin = browser_for("us-admin")
    admin.post(
        f"{page_path}/decision",
        data={"decision": "approve", "csrf_token": csrf_of(admin.get(page_path).text)},
    )
    after = browser_for(None).get("/law/us-mx-1976").text
    assert "A ten-year minimum (test)" not in before and "A ten-year minimum (test)" in after


def test_a_new_party_is_proposed_by_its_form(browser_for: Browsers) -> None:
    officer = browser_for("us-legal-officer")
    form = {
        "title": "Colombia accedes",
        "kind": "party",
        "target": "coe-ets-112",
        "on": "2025-01-01",
        "state": "co",
        "citation_title": "Ley 2999 de 2024",
        "citation_article": "Art. 1",
        "source": "Council of Europe treaty office chart (read for this test)",
        "verified": "yes",
        "csrf_token": csrf_of(officer.get("/law/amendments").text),
    }
    response = officer.post("/law/amendments", data=form, follow_redirects=False)
    assert response.status_code == 303
    page = officer.get(response.headers["location"]).text
    assert "amends coe-ets-112: 1 party" in page and "state: CO" in page


def test_a_form_missing_what_its_kind_needs_names_the_field(browser_for: Browsers) -> None:
    officer = browser_for("us-legal-officer")
    form = {
        "title": "A value",
        "kind": "value",
        "target": "us-mx-1976",
        "on": "2026-01-01",
        "citation_title": "An order",
        "source": "read for this test",
        "csrf_token": csrf_of(officer.get("/law/amendments").text),
    }
    response = officer.post("/law/amendments", data=form, follow_redirects=False)
    assert response.status_code == 422 and "parameter" in response.text


def test_a_refused_common_amendment_comes_back_as_typed(browser_for: Browsers) -> None:
    officer = browser_for("us-legal-officer")
    form = {
        "title": "A value",
        "kind": "value",
        "target": "us-mx-1976",
        "on": "Jan 1, 2026",
        "basis": "policy",
        "citation_title": "An order",
        "source": "read for this test",
        "verified": "yes",
        "csrf_token": csrf_of(officer.get("/law/amendments").text),
    }
    response = officer.post("/law/amendments", data=form, follow_redirects=False)
    assert response.status_code == 422
    kept = response.text.split('id="common-form"', 1)[1].split("</form>", 1)[0]
    assert 'role="alert"' in kept and 'value="Jan 1, 2026"' in kept
    assert 'value="value" selected' in kept and 'value="policy" selected' in kept
    assert ">read for this test</textarea>" in kept and 'value="yes" checked' in kept
    alert = kept.split('role="alert"', 1)[1].split("</p>", 1)[0]
    assert "parameter: required for a new value" in alert
