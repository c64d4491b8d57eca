"""Facility and money pages: occupancy against declared and standard capacity per unit,
contracts with their invoices, savings per movement, and their server-drawn charts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.i18n import format_date
from repatria.services import clock
from tests.web.conftest import csrf_of
from tests.web.test_pages import assert_accessible

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
    assert page.status_code == 200 and re.search(r"\$[\d,]+\.\d\d</td>", page.text)
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
    assert "$52.50 (per person day)" in recorded.text  # money in the reader's (en-US) way
    assert "Record a custody contract" not in browser_for("us-case-officer").get("/contracts").text


def test_a_refused_contract_comes_back_as_typed_with_the_dates_as_the_page_writes_them(
    browser_for: Browsers,
) -> None:
    finance = browser_for("us-finance")
    listing = finance.get("/contracts")
    typed = {
        "reference": "us-sv-kept",
        "payer_state": "US",
        "host_state": "SV",
        "fee_basis": "per_person_day",
        "fee": "52.50",
        "starts_on": "Jan 1, 2026",
        "ends_on": "Dec 31, 2025",  # before it starts: refused
        "funding_source": "test appropriation",
        "csrf_token": csrf_of(listing.text),
    }
    refused = finance.post("/contracts", data=typed)
    assert refused.status_code == 422
    form = refused.text.split('id="contract-form"', 1)[1].split("</form>", 1)[0]
    assert 'role="alert"' in form and 'value="Jan 1, 2026"' in form
    assert 'value="Dec 31, 2025"' in form and 'value="test appropriation"' in form
    assert 'value="per_person_day" selected' in form
    assert "us-sv-kept" not in finance.get("/contracts").text.split('id="contract-form"', 1)[0]
    recorded = finance.post("/contracts", data={**typed, "ends_on": "12/31/2026"})
    assert recorded.status_code == 200 and "Contract us-sv-kept" in recorded.text


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
    asked = {"on": clock.today().isoformat(), "csrf_token": csrf_of(stays.text)}
    confirm = admin.post(release.group(1), data=asked)
    assert confirm.status_code == 200 and "End the stay of" in confirm.text
    unchanged = re.search(r"<dt>Held on [^<]+</dt><dd>(\d+)</dd>", admin.get(facility).text)
    assert unchanged and unchanged.group(1) == held.group(1)  # asking changes nothing
    ended = admin.post(release.group(1), data={**asked, "confirmed": "yes"})
    assert ended.status_code == 200
    after = re.search(r"<dt>Held on [^<]+</dt><dd>(\d+)</dd>", admin.get(facility).text)
    assert after and int(after.group(1)) == int(held.group(1)) - 1
    assert 'action="/facilities/' not in browser_for("us-finance").get(f"{facility}/stays").text


def test_the_day_a_stay_ends_is_typed_in_spanish_and_a_day_that_does_not_read_comes_back(
    browser_for: Browsers,
) -> None:
    admin = browser_for("sv-facility-admin")
    admin.headers["Accept-Language"] = "es-SV"
    facility = _first(admin.get("/facilities").text, "/facilities")
    stays = admin.get(f"{facility}/stays")
    release = re.search(r'action="(/facilities/\d+/stays/(\d+)/release)"', stays.text)
    assert release, "no stay to end"
    token = csrf_of(stays.text)
    refused = admin.post(release.group(1), data={"on": "31/02/2026", "csrf_token": token})
    assert refused.status_code == 422
    assert 'value="31/02/2026"' in refused.text
    reason = refused.text.split(f'id="e-release-{release.group(2)}-on">', 1)[1]
    assert reason.startswith("debe ser una fecha, como 7 dic 2026")
    today = clock.today()
    months = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"]
    spanish = f"{today.day} {months[today.month - 1]} {today.year}"
    confirm = admin.post(release.group(1), data={"on": spanish, "csrf_token": token})
    assert confirm.status_code == 200 and f'name="on" value="{today.isoformat()}"' in confirm.text


def record_facility(admin: TestClient, code: str, cells: str, standard: str = "CPT") -> str:
    """Record a facility through the form; the address of its page."""
    form = admin.get("/facilities/new")
    assert form.status_code == 200
    recorded = admin.post(
        "/facilities",
        data={
            "code": code,
            "name": f"Test facility {code}",
            "standard": standard,
            "declared_capacity": "40",
            "cells": cells,
            "csrf_token": csrf_of(form.text),
        },
    )
    assert recorded.status_code == 200, recorded.text
    return str(recorded.url.path)


def record_person(officer: TestClient, name: str) -> int:
    """Record a person held by the officer's state through the people form; their id."""
    page = officer.get("/people")
    recorded = officer.post(
        "/people",
        data={
            "family_name": "Arriving",
            "given_names": name,
            "citizenship": "VE",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert recorded.status_code == 200, recorded.text
    return int(recorded.url.path.rsplit("/", 1)[1])


def test_the_facility_administrator_records_a_facility_with_units_and_cells(
    browser_for: Browsers,
) -> None:
    admin = browser_for("sv-facility-admin")
    assert 'href="/facilities/new"' in admin.get("/facilities").text
    cells = (
        "A, Wing A, a, 3, 14, 0, 4, min, shared\nB, Wing B, solo, 1, 9, 1.5, 1, max, single, 1\n"
    )
    page = admin.get(record_facility(admin, "web-made", cells))
    assert "Test facility web-made" in page.text
    # CPT: a 14 m² cell holds three (6 + 4 + 4 m²), three of them nine; the single cell one.
    assert "<dt>Standard capacity</dt><dd>10</dd>" in page.text
    assert '<td>A — Wing A</td><td class="num">3</td>' in page.text
    assert "<dt>Cells, beds</dt><dd>4 cells, 13 beds</dd>" in page.text


def test_a_facility_form_line_that_does_not_read_comes_back_as_typed_naming_the_line(
    browser_for: Browsers,
) -> None:
    admin = browser_for("sv-facility-admin")
    form = admin.get("/facilities/new")
    data = {"code": "bad", "name": "Bad", "cells": "A, Wing A, a, 3, 14", "csrf_token": ""}
    response = admin.post("/facilities", data={**data, "csrf_token": csrf_of(form.text)})
    assert response.status_code == 422
    reason = response.text.split('id="e-facility-cells">', 1)[1].split("</span>", 1)[0]
    assert reason == "line 1: 9 to 10 values, not 5"
    assert ">A, Wing A, a, 3, 14</textarea>" in response.text
    assert 'id="facility-code" name="code" type="text" value="bad"' in response.text
    assert "Test facility bad" not in admin.get("/facilities").text


def test_only_a_facility_administrator_is_offered_the_facility_forms(
    browser_for: Browsers,
) -> None:
    officer = browser_for("sv-case-officer")
    assert 'href="/facilities/new"' not in officer.get("/facilities").text
    assert officer.get("/facilities/new").status_code == 403
    admin = browser_for("sv-facility-admin")
    facility = _first(admin.get("/facilities").text, "/facilities")
    assert "/allocations/new" in admin.get(facility).text
    assert "/allocations/new" not in officer.get(facility).text
    assert officer.get(f"{facility}/allocations/new").status_code == 403


def test_a_facility_form_without_its_token_is_refused_and_records_nothing(
    browser_for: Browsers,
) -> None:
    admin = browser_for("sv-facility-admin")
    data = {"code": "forged", "name": "Forged", "cells": "A, A, a, 1, 14, 0, 4, min, shared"}
    assert admin.post("/facilities", data=data).status_code == 403
    assert "Forged" not in admin.get("/facilities").text


def test_the_facility_administrator_allocates_arrivals_and_sees_who_could_not_be_placed(
    browser_for: Browsers,
) -> None:
    admin, officer = browser_for("sv-facility-admin"), browser_for("sv-case-officer")
    facility = record_facility(admin, "one-bed", "A, Wing A, a, 1, 14, 0, 1, min, shared")
    placed, too_many, wrong_level = (record_person(officer, n) for n in ("One", "Two", "Max"))
    form = admin.get(f"{facility}/allocations/new")
    # The three are offered by name, with the facility's security levels to choose from.
    assert form.status_code == 200
    for person, name in ((placed, "One"), (too_many, "Two"), (wrong_level, "Max")):
        assert f'aria-label="Security level for Arriving, {name}"' in form.text
        assert f'<option value="{person}:min">min</option>' in form.text
    result = admin.post(
        f"{facility}/allocations",
        data={
            "on": clock.today().isoformat(),
            "arrival": [f"{placed}:min", f"{too_many}:min", ""],
            "arrivals": f"{wrong_level}, max\n",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert result.status_code == 200, result.text
    assert "Stored." in result.text and "1 placed, 0 moved, 2 not placed." in result.text
    blocked = dict(
        re.findall(r'href="/people/(\d+)">[^<]+</a></td><td><code>([a-z_]+)</code>', result.text)
    )
    assert blocked == {str(too_many): "capacity", str(wrong_level): "security_level"}
    for name in ("One", "Two", "Max"):  # everyone in the answer by name, not by id
        assert f"Arriving, {name}</a>" in result.text
    assert "no cell of security level &#39;max&#39;" in result.text
    stays = admin.get(f"{facility}/stays").text
    assert f'href="/people/{placed}"' in stays and f'href="/people/{too_many}"' not in stays


def test_a_dry_run_allocation_through_the_form_stores_nothing(browser_for: Browsers) -> None:
    admin, officer = browser_for("sv-facility-admin"), browser_for("sv-case-officer")
    facility = record_facility(admin, "dry", "A, Wing A, a, 1, 14, 0, 4, min, shared")
    person = record_person(officer, "Dry")
    form = admin.get(f"{facility}/allocations/new")
    result = admin.post(
        f"{facility}/allocations",
        data={
            "on": clock.today().isoformat(),
            "arrivals": f"{person}, min",
            "dry_run": "yes",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert result.status_code == 200 and "Dry run: nothing was stored." in result.text
    assert "1 placed" in result.text
    assert f'href="/people/{person}"' not in admin.get(f"{facility}/stays").text


def test_a_refused_allocation_form_comes_back_as_typed_and_places_nobody(
    browser_for: Browsers,
) -> None:
    admin, officer = browser_for("sv-facility-admin"), browser_for("sv-case-officer")
    facility = record_facility(admin, "kept", "A, Wing A, a, 1, 14, 0, 4, min, shared")
    person = record_person(officer, "Kept")
    form = admin.get(f"{facility}/allocations/new")
    typed = {"on": "31/31/2026", "arrivals": f"{person}, min", "keep_apart": "1, 2, 3"}
    result = admin.post(
        f"{facility}/allocations",
        data={**typed, "dry_run": "yes", "csrf_token": csrf_of(form.text)},
    )
    assert result.status_code == 422
    kept = result.text.split('id="allocation-form"', 1)[1].split("</form>", 1)[0]
    assert 'role="alert"' in kept and 'value="31/31/2026"' in kept
    assert f">{person}, min</textarea>" in kept and ">1, 2, 3</textarea>" in kept
    assert 'id="a-dry" name="dry_run" type="checkbox" value="yes" checked' in kept
    assert "line 1: 2 values, not 3" in kept.split('id="e-allocation-keep_apart">', 1)[1]
    assert "must be a date, such as" in kept.split('id="e-allocation-on">', 1)[1]
    assert f'href="/people/{person}"' not in admin.get(f"{facility}/stays").text


def test_the_facility_page_shows_the_forecast_and_when_room_runs_out(
    browser_for: Browsers,
) -> None:
    admin, officer = browser_for("sv-facility-admin"), browser_for("sv-case-officer")
    facility = record_facility(admin, "tiny", "A, Wing A, a, 1, 10, 0, 2, min, shared")  # CPT: 2
    first, second = record_person(officer, "First"), record_person(officer, "Second")
    form = admin.get(f"{facility}/allocations/new")
    later = clock.today() + timedelta(days=3)
    for person, on in ((first, clock.today()), (second, later)):
        result = admin.post(
            f"{facility}/allocations",
            data={
                "on": on.isoformat(),
                "arrivals": f"{person}, min",
                "csrf_token": csrf_of(form.text),
            },
        )
        assert "1 placed" in result.text
    page = admin.get(facility).text
    assert '<h2 id="forecast">Forecast</h2>' in page
    assert f"<dt>CPT standard capacity runs out</dt><dd>on {format_date(later)}</dd>" in page
    assert f'<tr><td>{format_date(later)}</td><td class="num">1</td><td class="num">0</td>' in page


def test_the_allocation_form_offers_only_who_may_arrive_and_no_ended_contract(
    browser_for: Browsers, container: Container
) -> None:
    admin, officer = browser_for("sv-facility-admin"), browser_for("sv-case-officer")
    newcomer = record_person(officer, "Newcomer")  # held by El Salvador, in no cell
    facility = _first(admin.get("/facilities").text, "/facilities")
    form = admin.get(f"{facility}/allocations/new").text
    assert f'<a href="/people/{newcomer}">{newcomer}</a>' in form
    assert "Arriving, Newcomer" in form
    # The demo's US-held man with a withholding order against El Salvador, whose custody case
    # stands at order_final, is not offered; nor is the demo contract, which ended in March.
    with container.engine.connect() as connection:
        protected = connection.execute(
            select(t.people.c.id, t.people.c.family_name)
            .join(t.identifiers, t.identifiers.c.person_id == t.people.c.id)
            .where(t.identifiers.c.value == "A201234567")
        ).one()
    assert f'href="/people/{protected.id}"' not in form
    assert protected.family_name not in form
    assert "us-sv-2025" not in form


def test_the_facility_page_warns_of_people_held_under_a_contract_that_has_ended(
    browser_for: Browsers, container: Container
) -> None:
    admin = browser_for("sv-facility-admin")
    facility = _first(admin.get("/facilities").text, "/facilities")
    with container.engine.connect() as connection:
        contract = connection.execute(select(t.custody_contracts)).one()
        held = connection.scalar(
            select(func.count())
            .select_from(t.stays)
            .where(t.stays.c.contract_id == contract.id, t.stays.c.release.is_(None))
        )
    assert contract.ends_on < clock.today() and held
    page = admin.get(facility).text
    assert (
        f"{held} people are still held under contract {contract.reference}, which ended on "
        f"{format_date(contract.ends_on)}" in page
    )


def test_the_facility_forms_and_the_forecast_are_accessible(browser_for: Browsers) -> None:
    admin = browser_for("sv-facility-admin")
    assert_accessible(admin.get("/facilities/new").text)
    facility = _first(admin.get("/facilities").text, "/facilities")
    assert_accessible(admin.get(facility).text)
    assert_accessible(admin.get(f"{facility}/allocations/new").text)


def test_a_refused_payment_comes_back_as_typed_beside_its_month(
    browser_for: Browsers, container: Container
) -> None:
    with container.uow() as uow:
        contract, started = uow.session.execute(
            select(t.custody_contracts.c.id, t.custody_contracts.c.starts_on)
        ).one()
    finance = browser_for("us-finance")
    page = finance.get(f"/contracts/{contract}")
    month = f"{started:%Y-%m}"
    data = {"paid_on": "Dec 31, 2099", "reference": "TR-9", "csrf_token": csrf_of(page.text)}
    refused = finance.post(f"/contracts/{contract}/invoices/{month}/payment", data=data)
    assert refused.status_code == 422
    form = refused.text.split(f'aria-label="Record the payment of {month}"', 1)[1]
    form = form.split("</form>", 1)[0]
    assert 'role="alert"' in form and 'value="Dec 31, 2099"' in form and 'value="TR-9"' in form
    assert "in the future" in form.split(f'id="e-pay-{month}-paid_on">', 1)[1]
    paid = finance.post(
        f"/contracts/{contract}/invoices/{month}/payment", data={**data, "paid_on": "1/15/2026"}
    )
    assert paid.status_code == 200 and "paid on Jan 15, 2026 (TR-9)" in paid.text
