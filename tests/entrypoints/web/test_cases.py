"""Case pages: scope, the assessment with citations, the timeline, and actions as forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, or_, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Role
from tests.web.conftest import VERSION, csrf_of, post_step
from tests.web.scenarios import add_user, demo_case, treaty_case

Browsers = Callable[[str | None], TestClient]
ROW = re.compile(r"<td>([A-Z]{2}) → ([A-Z]{2})</td>")


def count_cases(container: Container, *conditions: Any) -> int:
    with container.uow() as uow:
        query = select(func.count()).select_from(t.cases).where(*conditions)
        return int(uow.session.scalar(query) or 0)


def test_a_reviewer_lists_only_the_cases_involving_their_state(
    browser_for: Browsers, container: Container
) -> None:
    mexican = count_cases(container, or_(t.cases.c.from_state == "MX", t.cases.c.to_state == "MX"))
    page = browser_for("mx-reviewer").get("/cases")
    pairs = ROW.findall(page.text)
    assert pairs and all("MX" in pair for pair in pairs)
    assert f"<caption>{mexican} cases</caption>" in page.text
    assert count_cases(container) > mexican


def test_another_states_case_is_not_found_in_the_pages_too(
    browser_for: Browsers, container: Container
) -> None:
    salvadoran = demo_case(container, "inter-american-1993")
    response = browser_for("mx-reviewer").get(f"/cases/{salvadoran}")
    assert response.status_code == 404
    assert "Not found" in response.text and "Quintanilla" not in response.text
    assert browser_for("mx-reviewer").get(f"/cases/{salvadoran}/summary.pdf").status_code == 404


def test_the_case_list_filters_by_state_and_pages(
    browser_for: Browsers, container: Container
) -> None:
    officer = browser_for("us-case-officer")
    drafts = count_cases(container, t.cases.c.state == "draft")
    page = officer.get("/cases?state=draft")
    assert len(ROW.findall(page.text)) == drafts
    completed = count_cases(container, t.cases.c.state == "completed", t.cases.c.to_state == "MX")
    page = officer.get("/cases?state=completed&counterpart=mx")
    assert f"<caption>{completed} cases matching the filters</caption>" in page.text
    pages = -(-completed // 25)
    assert f"Page 1 of {pages}" in page.text


def test_a_step_taken_through_the_form_appears_on_the_timeline(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container)
    response = post_step(browser_for("us-case-officer"), case_id, "submit")
    assert response.status_code == 200, response.text
    assert 'id="case-state">screening<' in response.text
    assert "<strong>Submitted for screening</strong>" in response.text  # the timeline


def test_the_case_page_shows_every_check_with_its_citation(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="screened")
    page = browser_for("us-reviewer").get(f"/cases/{case_id}")
    checks = re.findall(r'<span class="outcome (pass|fail|unknown)">', page.text)
    citations = re.findall(r'<td class="cite"><ul class="sources"><li>', page.text)
    assert checks and len(citations) >= len(checks)
    assert "Prepare sending" in page.text and "Approve sending" in page.text


def test_a_reviewer_may_not_approve_a_decision_they_prepared(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="screened")
    reviewer = browser_for("us-reviewer")
    prepared = post_step(reviewer, case_id, "prepare_sending", "good prospects")
    assert "Separation of duties" in prepared.text
    assert 'value="approve_sending"' not in prepared.text
    refused = post_step(reviewer, case_id, "approve_sending")
    assert refused.status_code == 403 and "separation of duties" in refused.text
    add_user(container, "us-reviewer-2", Role.REVIEWER, "us-iptu")
    approved = post_step(browser_for("us-reviewer-2"), case_id, "approve_sending")
    assert 'id="case-state">receiving review<' in approved.text


def test_a_reviewer_who_prepared_is_still_told_so_after_another_prepares_again(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="screened")
    first = browser_for("us-reviewer")
    post_step(first, case_id, "prepare_sending", "good prospects")
    add_user(container, "us-reviewer-2", Role.REVIEWER, "us-iptu")
    post_step(browser_for("us-reviewer-2"), case_id, "prepare_sending", "agree, with a note")
    page = first.get(f"/cases/{case_id}")
    assert "Separation of duties" in page.text
    assert 'value="approve_sending"' not in page.text


def test_a_step_the_law_refuses_shows_the_failing_checks_with_citations(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container)
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get(f"/cases/{case_id}").text)
    officer.post(
        f"/cases/{case_id}/facts",
        data={
            "person_years_in_sending_state": "9",
            "person_intends_to_remain": "yes",
            "csrf_token": token,
        },
    )
    post_step(officer, case_id, "submit")
    refused = post_step(officer, case_id, "screen")
    assert refused.status_code == 409
    assert "Refused by the legal engine" in refused.text and "DOMICILE" in refused.text


@pytest.mark.storage  # a stale version is found by each database
def test_a_stale_form_is_a_409_page_that_says_to_reload(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container)
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get(f"/cases/{case_id}").text)
    post_step(officer, case_id, "submit")
    response = officer.post(
        f"/cases/{case_id}/steps",
        data={"command": "withdraw", "version": "1", "reason": "x", "csrf_token": token},
    )
    assert response.status_code == 409 and "Reload the page" in response.text


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_step_stopped_by_a_row_held_elsewhere_is_a_503_page_that_says_to_try_again(
    browser_for: Browsers, container: Container, backend: str
) -> None:
    # PostgreSQL: another transaction holds the case's row past the writer's lock timeout.
    case_id = treaty_case(container)
    officer = browser_for("us-case-officer")
    page = officer.get(f"/cases/{case_id}").text
    version = VERSION.search(page)
    assert version, page
    data = {"command": "submit", "version": version[1], "reason": "", "csrf_token": csrf_of(page)}
    with container.engine.connect() as other:
        other.execute(select(t.cases).where(t.cases.c.id == case_id).with_for_update())
        response = officer.post(f"/cases/{case_id}/steps", data=data)
        other.rollback()
    assert response.status_code == 503, response.text
    assert "Try again in a moment" in response.text and "nothing was written" in response.text
    assert 'id="case-state">draft<' in officer.get(f"/cases/{case_id}").text


def test_a_date_that_does_not_read_in_a_step_form_comes_back_typed_with_the_reason_beside_it(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container)
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get(f"/cases/{case_id}").text)
    for on in ("2025-02-30", "not a date", "99999999999999999999"):
        data = {
            "command": "submit",
            "version": "1",
            "on": on,
            "reason": "typed",
            "csrf_token": token,
        }
        response = officer.post(f"/cases/{case_id}/steps", data=data)
        assert response.status_code == 422, on
        form = response.text.split('aria-label="submit"', 1)[1].split("</form>", 1)[0]
        assert f'value="{on}"' in form and ">typed</textarea>" in form
        reason = form.split('id="e-step-submit-on">', 1)[1].split("</span>", 1)[0]
        assert reason == "must be a date, such as Dec 7, 2026", reason
    assert 'id="case-state">draft<' in officer.get(f"/cases/{case_id}").text
