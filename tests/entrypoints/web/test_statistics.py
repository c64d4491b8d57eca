"""Public statistics: no login, counts by year, authority and pair of states, small counts
suppressed in the page, the CSV and the chart."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container

# Counts by year are extracted by SQL that differs by database.
pytestmark = pytest.mark.storage

Browsers = Callable[[str | None], TestClient]


def _rows(html: str, table: str) -> list[list[str]]:
    section = html.split(f'id="table-{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows if "<td" in row]


def test_the_statistics_page_needs_no_login_and_suppresses_small_counts(
    browser_for: Browsers, container: Container
) -> None:
    # Counted in the year (UTC) the demo's Salvadoran case was opened: the year of a run that
    # loaded the demo data just before a New Year's midnight UTC is not the year it reads in.
    with container.engine.connect() as connection:
        opened_at = connection.execute(
            select(t.cases.c.opened_at).where(t.cases.c.authority == "inter-american-1993")
        ).scalar_one()
    year = str(opened_at.astimezone(UTC).year)
    page = browser_for(None).get("/statistics")
    assert page.status_code == 200
    moved = _rows(page.text, "moved")
    opened = _rows(page.text, "opened")
    # The demo's batch of 11 April 2025: thirteen people arrived in Mexico that year.
    assert ["2025", "us-mx-1976", "US", "MX", "13"] in moved
    # One Salvadoran case: published as "<5", never as 1.
    assert [year, "inter-american-1993", "US", "SV", "&lt;5"] in opened
    counts = [row[-1] for row in opened + moved]
    assert not {"0", "1", "2", "3", "4"} & set(counts)


def test_the_statistics_csv_has_the_same_suppressed_counts(browser_for: Browsers) -> None:
    response = browser_for(None).get("/statistics.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {"measure", "year", "authority", "from_state", "to_state", "count"} == set(rows[0])
    assert {
        "measure": "moved",
        "year": "2025",
        "authority": "us-mx-1976",
        "from_state": "US",
        "to_state": "MX",
        "count": "13",
    } in rows
    cases_to_sv_or_ve = [
        r for r in rows if r["to_state"] in {"SV", "VE"} and r["measure"] != "held"
    ]
    assert {r["count"] for r in cases_to_sv_or_ve} == {"<5"}
    held = [r for r in rows if r["measure"] == "held"]  # the demo's people held in CECOT
    assert held and all(r["authority"] == "custody-agreement" for r in held)
    assert all(r["count"] == "<5" or int(r["count"]) >= 5 for r in rows)


def test_the_transfers_chart_is_an_svg_drawn_on_the_server(browser_for: Browsers) -> None:
    response = browser_for(None).get("/statistics/transfers.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.lstrip().startswith("<?xml") and "<svg" in response.text
    assert "us-mx-1976" in response.text


def test_only_the_anonymous_statistics_page_may_be_cached_by_others(
    browser_for: Browsers,
) -> None:
    public = browser_for(None).get("/statistics")
    assert public.headers["cache-control"].startswith("public")
    assert "set-cookie" not in public.headers
    signed_in = browser_for("us-case-officer").get("/statistics")
    assert signed_in.headers["cache-control"] == "no-store"


def test_the_statistics_csv_the_page_links_names_its_columns_in_the_readers_language(
    browser_for: Browsers,
) -> None:
    reader = browser_for(None)
    page = reader.get("/statistics", headers={"Accept-Language": "es-MX"}).text
    assert 'href="/statistics.csv?header=words"' in page
    spanish = reader.get("/statistics.csv?header=words", headers={"Accept-Language": "es-MX"})
    english = reader.get("/statistics.csv?header=words", headers={"Accept-Language": "en"})
    machine = reader.get("/statistics.csv", headers={"Accept-Language": "es-MX"})
    first = {name: r.text.splitlines()[0] for name, r in [("es", spanish), ("en", english)]}
    assert first == {
        "es": "Medida,Año,Fundamento jurídico,Desde,Hacia,Cifra",
        "en": "Measure,Year,Authority,From,To,Count",
    }
    assert machine.text.splitlines()[0] == "measure,year,authority,from_state,to_state,count"
    # The cells are the same whichever header names them.
    assert spanish.text.splitlines()[1:] == machine.text.splitlines()[1:]
    assert "Accept-Language" in spanish.headers["vary"]
