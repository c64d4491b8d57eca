"""In a real browser, on the demo data: El Salvador's facility administrator cannot place in
CECOT a person still held by the United States under a withholding order against removal to
El Salvador, nor one whose case is a draft; the refusal names the field and the reason, and
nothing is stored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.browser.conftest import screenshot

SignIn = Callable[[str], Page]


def stays(container: Container) -> int:
    with container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(t.stays)) or 0)


@pytest.mark.parametrize("authority", ["custody-agreement", "inter-american-1993"])
def test_a_person_not_lawfully_arriving_is_refused_a_cell_with_the_reason(
    sign_in: SignIn, container: Container, authority: str
) -> None:
    with container.uow() as uow:
        person, stage = uow.session.execute(
            select(t.cases.c.person_id, t.cases.c.state).where(
                t.cases.c.authority == authority, t.cases.c.to_state == "SV"
            )
        ).one()
        facility = uow.session.scalar(select(t.facilities.c.id).where(t.facilities.c.state == "SV"))
    before = stays(container)
    page = sign_in("sv-facility-admin")
    page.goto(f"/facilities/{facility}/allocations/new")
    page.get_by_label("With an expected release or a group affiliation").fill(f"{person}, max")
    page.get_by_role("button", name="Allocate").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("arrivals.0.person_id")
    expect(alert).to_contain_text(f"its stage: {str(stage).replace('_', ' ')}")
    if authority == "custody-agreement":  # the reason, with its citation
        expect(alert).to_contain_text("a withholding order issued 2019-10-10 bars removal to SV")
        expect(alert).to_contain_text("8 U.S.C. § 1231(b)(3)")
    else:
        expect(alert).to_contain_text("not yet known: consent")
    screenshot(page, f"placement-refused-{authority}")
    assert stays(container) == before
