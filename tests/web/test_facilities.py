"""Facility and money pages: occupancy against declared and standard capacity per unit,
contracts with their invoices, savings per movement, and their server-drawn charts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of

Browsers = Callable[[str | None], TestClient]


def _first(html: str, prefix: str) -> str:
    found = re.search(rf'href="({prefix}/\d+)', html)
    assert found, f"no link to {prefix}"
    return found.group(1)


def test_a_facility_shows_declared_and_standard_capacity_unit_by_unit(
    browser_for: Browsers,
) -> None:
    admin = browser_for("sv-facility-admin")
    listing = admin.get("/facilities")
    assert listing.status_code == 200 and "Standard capacity" in listing.text
    facility = _first(listing.text, "/facilities")
    page = admin.get(facility)
    assert page.status_code == 200
    assert "<caption>Unit by unit</caption>" in page.text and "Placement limit" in page.text
    icrc = admin.get(f"{facility}?standard=ICRC")
    assert "(ICRC:" in icrc.text
    chart = admin.get(f"{facility}/occupancy.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"


def test_an_unknown_space_standard_is_a_422_page_naming_the_field(
    browser_for: Browsers,
) -> None:
    response = browser_for("sv-facility-admin").get("/facilities?standard=XYZ")
    assert response.status_code == 422 and "<code>standard</code>" in response.text


def test_a_contract_lists_its_monthly_invoices(browser_for: Browsers) -> None:
    finance = browser_for("us-finance")
    listing = finance.get("/contracts")
    contract = _first(listing.text, "/contracts")
    page = finance.get(contract)
    assert page.status_code == 200 and "<caption>Invoices by month</caption>" in page.text
    assert re.search(r"<td>\d{4}-\d{2}</td>", page.text)


def test_savings_are_listed_and_charted_per_movement(browser_for: Browsers) -> None:
    finance = browser_for("us-finance")
    page = finance.get("/savings")
    assert page.status_code == 200 and re.search(r"USD [\d,]+\.\d\d</td>", page.text)
    chart = finance.get("/savings.svg")
    assert chart.status_code == 200 and "<svg" in chart.text


def test_a_finance_officer_records_a_contract_through_the_form(browser_for: Browsers) -> None:
    finance = browser_for("us-finance")
    listing = finance.get("/contracts")
    assert "Record a custody contract" in listing.text
    recorded = finance.post(
        "/contracts",
        data={
            "reference": "us-sv-2026-test",
            "payer_state": "US",
            "host_state": "SV",
            "fee_basis": "per_person_day",
            "fee": "52.50",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "funding_source": "test appropriation",
            "cap_people": "10",
            "csrf_token": csrf_of(listing.text),
        },
    )
    assert recorded.status_code == 200 and "Contract us-sv-2026-test" in recorded.text
    assert "USD 52.50 (per person day)" in recorded.text
    assert "Record a custody contract" not in browser_for("us-case-officer").get("/contracts").text


def test_the_facility_administrator_ends_a_stay_and_occupancy_falls(
    browser_for: Browsers,
) -> None:
    admin = browser_for("sv-facility-admin")
    facility = _first(admin.get("/facilities").text, "/facilities")
    held = re.search(r"<dt>Held on [^<]+</dt><dd>(\d+)</dd>", admin.get(facility).text)
    assert held and int(held.group(1)) > 0
    stays = admin.get(f"{facility}/stays")
    release = re.search(r'action="(/facilities/\d+/stays/\d+/release)"', stays.text)
    assert release, "no stay to end"
    ended = admin.post(
        release.group(1),
        data={"on": date.today().isoformat(), "csrf_token": csrf_of(stays.text)},
    )
    assert ended.status_code == 200
    after = re.search(r"<dt>Held on [^<]+</dt><dd>(\d+)</dd>", admin.get(facility).text)
    assert after and int(after.group(1)) == int(held.group(1)) - 1
    assert 'action="/facilities/' not in browser_for("us-finance").get(f"{facility}/stays").text
