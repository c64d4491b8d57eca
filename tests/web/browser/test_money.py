"""In a real browser, on the demo data: savings count only movements that left, from the day
they left, with a total."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Page, expect
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.browser.conftest import screenshot

SignIn = Callable[[str], Page]


def dollars(text: str) -> Decimal:
    return Decimal(text.strip().replace("$", "").replace(",", ""))


def test_savings_count_only_movements_that_left_and_add_up(
    sign_in: SignIn, container: Container
) -> None:
    with container.uow() as uow:
        movements = uow.session.execute(
            select(t.movements.c.sequence, t.movements.c.state, t.movements.c.departed_at)
        ).all()
    left = {f"#{seq}" for seq, state, _ in movements if state != "planned"}
    planned = {f"#{seq}" for seq, state, _ in movements if state == "planned"}
    assert left and planned
    page = sign_in("us-finance")
    page.goto("/savings")
    table = page.get_by_role("table", name="Savings of each movement that left")
    rows = table.locator("tbody tr")
    labels = [row.locator("td").first.inner_text() for row in rows.all()]
    assert {label.rsplit(" ", 1)[-1] for label in labels} == left, labels
    amounts = [dollars(row.locator("td").last.inner_text()) for row in rows.all()]
    total = dollars(page.locator("#savings-total td").inner_text())
    assert total == sum(amounts) and total > 3_000_000  # the 2025 batch alone saved > $3M
    closed = next(d for s, state, d in movements if state == "closed")
    expect(rows.filter(has_text="#184")).to_contain_text(str(closed.year))
    screenshot(page, "savings")


def test_the_paying_state_marks_an_invoice_paid_and_both_states_see_it(
    sign_in: SignIn, container: Container
) -> None:
    with container.uow() as uow:
        contract, started = uow.session.execute(
            select(t.custody_contracts.c.id, t.custody_contracts.c.starts_on)
        ).one()
    month = f"{started:%Y-%m}"
    page = sign_in("us-finance")
    page.goto(f"/contracts/{contract}")
    row = page.get_by_role("table", name="Invoices by month").locator("tbody tr").first
    expect(row).to_contain_text("not paid")
    form = row.get_by_role("form", name=f"Record the payment of {month}")
    form.get_by_label("reference").fill("TR-2025-0042")
    form.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("status")).to_contain_text("The payment was recorded")
    row = page.get_by_role("table", name="Invoices by month").locator("tbody tr").first
    expect(row.locator("td.payment")).to_contain_text("paid on")
    expect(row.locator("td.payment")).to_contain_text("TR-2025-0042")
    host = sign_in("sv-finance")
    host.goto(f"/contracts/{contract}")
    first = host.get_by_role("table", name="Invoices by month").locator("tbody tr").first
    expect(first.locator("td.payment")).to_contain_text("TR-2025-0042")
    expect(host.get_by_role("button", name="Record the payment")).to_have_count(0)
