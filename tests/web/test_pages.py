"""Every main page renders, with a title and labelled fields, for the roles that use it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from repatria.bootstrap import Container
from tests.web.conftest import csrf_of
from tests.web.scenarios import sign_checkpoint, treaty_case

Browsers = Callable[[str | None], TestClient]
PAGES = (
    "/dashboard",
    "/cases",
    "/people",
    "/movements",
    "/facilities",
    "/contracts",
    "/savings",
    "/assessments/new",
    "/law",
    "/statistics",
    "/account",
)


def assert_accessible(html: str) -> None:
    """A page title, one h1, and a label for every visible form field."""
    assert re.search(r"<title>[^<]+ — Repatria</title>", html)
    assert len(re.findall(r"<h1[ >]", html)) == 1
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag:
            continue
        field_id = re.search(r'id="([^"]+)"', tag)
        assert field_id and field_id.group(1) in labelled, tag


@pytest.mark.parametrize("path", PAGES)
def test_each_main_page_renders_for_a_case_officer(browser_for: Browsers, path: str) -> None:
    page = browser_for("us-case-officer").get(path)
    assert page.status_code == 200, page.text
    assert_accessible(page.text)


def test_the_admin_and_record_pages_are_accessible(
    browser_for: Browsers, container: Container
) -> None:
    sign_checkpoint(container)
    assert_accessible(browser_for("us-admin").get("/admin").text)
    assert_accessible(browser_for("us-auditor").get("/record").text)


def test_the_case_page_is_accessible(browser_for: Browsers, container: Container) -> None:
    case_id = treaty_case(container)
    assert_accessible(browser_for("us-case-officer").get(f"/cases/{case_id}").text)


def test_the_dashboard_lists_the_cases_waiting_for_the_role(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="screened")

    def waiting(username: str) -> str:
        page = browser_for(username).get("/dashboard").text
        return page.split('id="h-mine"', 1)[1].split("</section>", 1)[0]

    assert f'href="/cases/{case_id}"' in waiting("us-reviewer")
    assert f'href="/cases/{case_id}"' not in waiting("mx-reviewer")
    recent = browser_for("mx-reviewer").get("/dashboard").text.split('id="h-events"', 1)[1]
    # a US→MX case is in Mexico's scope too
    assert "<td>Screened: eligible on the facts</td>" in recent


def test_the_person_page_shows_their_facts_and_cases(
    browser_for: Browsers, container: Container
) -> None:
    officer = browser_for("us-case-officer")
    listing = officer.get("/people?name=portillo")
    person = re.search(r'href="/people/(\d+)"', listing.text)
    assert person
    page = officer.get(f"/people/{person.group(1)}")
    assert "Portillo Méndez, Kilmer" in page.text
    assert "Protection order (withholding) for SV" in page.text
    assert "custody-agreement" in page.text


def test_a_case_officer_records_a_person_and_opens_a_case_through_forms(
    browser_for: Browsers,
) -> None:
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get("/people").text)
    person = officer.post(
        "/people",
        data={
            "family_name": "Vega Soto",
            "given_names": "Ana",
            "citizenship": "mx",
            "csrf_token": token,
        },
    )
    assert person.status_code == 200 and "Vega Soto, Ana" in person.text
    person_id = re.search(r'name="person_id" value="(\d+)"', person.text)
    assert person_id
    case = officer.post(
        "/cases",
        data={
            "person_id": person_id.group(1),
            "authority": "us-mx-1976",
            "from_state": "US",
            "to_state": "MX",
            "csrf_token": csrf_of(person.text),
        },
    )
    assert (
        "The case was opened." in case.text and "CaseOpened" not in case.text.split("OpenCase")[0]
    )


def test_the_law_browser_shows_rules_with_citations_without_login(
    browser_for: Browsers,
) -> None:
    listing = browser_for(None).get("/law")
    assert listing.status_code == 200 and 'href="/law/us-mx-1976"' in listing.text
    page = browser_for(None).get("/law/us-mx-1976")
    assert page.status_code == 200 and "Parties" in page.text and "Rules" in page.text
    assert re.search(r"<code>us-mx-1976/[a-z0-9-]+</code>", page.text)
    assert browser_for(None).get("/law/nope").status_code == 404


@pytest.mark.storage  # the record is read, and a stale version found, by each database
def test_the_record_page_verifies_the_log_and_shows_a_proof_for_auditors(
    browser_for: Browsers, container: Container
) -> None:
    size = sign_checkpoint(container)
    auditor = browser_for("us-auditor")
    page = auditor.get("/record?verify=true")
    assert page.status_code == 200
    assert f"<dt>Events covered</dt><dd>{size}</dd>" in page.text
    assert 'id="verify-result">Intact' in page.text
    proof = auditor.get("/record/proof?event=1")
    assert proof.status_code == 200 and "Audit path" in proof.text
    assert browser_for("us-case-officer").get("/record").status_code == 403


def test_a_user_creates_and_revokes_an_api_token(browser_for: Browsers) -> None:
    officer = browser_for("us-case-officer")
    created = officer.post(
        "/account/tokens",
        data={"name": "laptop", "days": "7", "csrf_token": csrf_of(officer.get("/account").text)},
    )
    assert 'id="new-token">rpt_' in created.text
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', created.text)
    assert token_id
    revoked = officer.post(
        f"/account/tokens/{token_id.group(1)}/revoke", data={"csrf_token": csrf_of(created.text)}
    )
    assert "revoked" in revoked.text


@pytest.mark.storage  # the record is read, and a stale version found, by each database
def test_the_holding_state_corrects_a_name_and_a_stale_correction_is_refused(
    browser_for: Browsers,
) -> None:
    officer = browser_for("us-case-officer")
    person = re.search(r'href="(/people/\d+)"', officer.get("/people?name=portillo").text)
    assert person
    page = officer.get(person.group(1)).text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    form = {
        "version": version.group(1),
        "family_name": "Portillo Méndez",
        "given_names": "Kilmer Abrego",
        "csrf_token": csrf_of(page),
    }
    corrected = officer.post(person.group(1), data=form)
    assert "Portillo Méndez, Kilmer Abrego" in corrected.text
    stale = officer.post(person.group(1), data={**form, "csrf_token": csrf_of(corrected.text)})
    assert stale.status_code == 409


@pytest.mark.storage  # the record is read, and a stale version found, by each database
def test_an_auditor_gets_a_consistency_proof(browser_for: Browsers, container: Container) -> None:
    size = sign_checkpoint(container)
    page = browser_for("us-auditor").get(f"/record/consistency?size={size}&from=3")
    assert page.status_code == 200 and f"3 → {size} events" in page.text
