"""In a real browser, on the demo data: the public statistics count the people held under
custody agreements, and a case counts as opened in the year its history starts."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container


def test_people_held_under_custody_agreements_are_counted(page: Page, container: Container) -> None:
    with container.uow() as uow:
        held = uow.session.scalar(
            select(func.count(func.distinct(t.stays.c.person_id))).where(
                t.stays.c.contract_id.is_not(None)
            )
        )
    assert held and held >= 5
    page.goto("/statistics")
    table = page.get_by_role("table", name="People placed in a facility under a custody agreement")
    expect(table.locator("tbody tr")).to_contain_text(["custody-agreement"])
    counts = [int(c) for c in table.locator("tbody td.num").all_inner_texts() if c.isdigit()]
    assert sum(counts) == held


def test_a_case_counts_as_opened_in_the_year_its_history_starts(
    page: Page, container: Container
) -> None:
    with container.uow() as uow:
        batch = uow.session.execute(
            select(t.cases.c.opened_at, t.cases.c.reference).where(t.cases.c.state == "completed")
        ).all()
    years = {opened.year for opened, _ in batch}
    assert years == {2025}, years  # the April 2025 batch's applications came in January 2025
    assert all(reference.startswith("US-MX-2025-") for _, reference in batch)
    with container.uow() as uow:
        opened_in_2025 = [
            row
            for row in uow.session.execute(select(t.cases.c.opened_at, t.cases.c.authority))
            if row.opened_at.year == 2025 and row.authority == "us-mx-1976"
        ]
    assert len(opened_in_2025) >= len(batch)
    page.goto("/statistics")
    opened = page.get_by_role("table", name="Cases opened, by year")
    row = opened.locator("tbody tr", has_text="2025").filter(has_text="us-mx-1976")
    expect(row.locator("td.num")).to_have_text(str(len(opened_in_2025)))
