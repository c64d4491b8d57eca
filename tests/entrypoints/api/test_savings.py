"""The savings of a movement through the API, to the cent, at the rate in force on its date."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fastapi.testclient import TestClient

Clients = Callable[[str], TestClient]
CENT = Decimal("0.01")


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def april_batch(client: TestClient) -> int:
    """The demo's movement of 11 April 2025: the 184th US-to-Mexico transfer."""
    movements = _ok(client.get("/api/v1/movements?limit=500"))["items"]
    return int(next(m["id"] for m in movements if m["label"].endswith("US→MX #184")))


def test_the_april_2025_batch_saves_three_million_three_hundred_thousand_dollars(
    client_for: Clients,
) -> None:
    finance = client_for("us-finance")
    report = _ok(finance.get(f"/api/v1/movements/{april_batch(finance)}/savings"))
    assert report["on"] == "2025-04-11"
    assert (report["rate"]["fiscal_year"], report["rate"]["annual"]) == (2023, "44090")
    assert "89 FR 97072" in report["rate"]["citation"]
    assert len(report["people"]) == 13
    assert report["combined_years"] == "75.0000"
    assert report["total"] == "3306750.00"  # 75 years x $44,090, "more than $3 million"
    assert sum(Decimal(p["savings"]) for p in report["people"]) == Decimal("3306750.00")
    assert report["currency"] == "USD"


def test_each_person_saves_years_left_times_the_rate_rounded_to_the_cent(
    client_for: Clients,
) -> None:
    finance = client_for("us-finance")
    report = _ok(finance.get(f"/api/v1/movements/{april_batch(finance)}/savings"))
    for person in report["people"]:
        years = Decimal(person["years_left"])
        assert Decimal(person["savings"]) == (years * 44090).quantize(CENT, ROUND_HALF_UP)


def test_the_savings_export_as_csv_with_a_total_line(client_for: Clients) -> None:
    finance = client_for("us-finance")
    response = finance.get(f"/api/v1/movements/{april_batch(finance)}/savings.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 14
    assert (rows[-1]["case"], rows[-1]["years_left"], rows[-1]["savings"]) == (
        "total",
        "75.0000",
        "3306750.00",
    )


def test_a_movement_outside_the_states_scope_has_no_savings_to_show(client_for: Clients) -> None:
    movement = april_batch(client_for("us-finance"))
    assert client_for("mx-finance").get(f"/api/v1/movements/{movement}/savings").status_code == 200
    assert client_for("sv-finance").get(f"/api/v1/movements/{movement}/savings").status_code == 404
