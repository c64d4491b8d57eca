"""The person page's forms come back as typed when refused, each reason beside its field and
nothing stored; a date is typed as the page writes dates, in English or in Spanish."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.conftest import csrf_of

Browsers = Callable[[str], TestClient]


def person_page(client: TestClient) -> tuple[str, str]:
    found = re.search(r'href="(/people/\d+)"', client.get("/people?name=portillo").text)
    assert found
    return found.group(1), client.get(found.group(1)).text


def holds_of(container: Container, path: str) -> list[date]:
    person_id = int(path.rsplit("/", 1)[1])
    with container.uow() as uow:
        return list(
            uow.session.scalars(select(t.holds.c.issued_on).where(t.holds.c.person_id == person_id))
        )


def form_of(html: str, form_id: str) -> str:
    return html.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]


def test_a_refused_hold_comes_back_as_typed_and_nothing_is_stored(
    browser_for: Browsers, container: Container
) -> None:
    officer = browser_for("us-case-officer")
    path, page = person_page(officer)
    before = holds_of(container, path)
    typed = {"kind": "tro", "issued_on": "Feb 30, 2026", "court": "S.D. Tex.", "reference": "R-9"}
    answer = officer.post(f"{path}/holds", data={**typed, "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    form = form_of(answer.text, "hold-form")
    assert " open>" in answer.text.split('id="hold-form"', 1)[1][:20]
    assert 'value="Feb 30, 2026"' in form and 'value="S.D. Tex."' in form
    assert 'value="tro" selected' in form
    reason = form.split('id="e-hold-issued_on">', 1)[1].split("</span>", 1)[0]
    assert reason == "must be a date, such as Dec 7, 2026"
    assert holds_of(container, path) == before


def test_a_hold_dated_as_the_spanish_page_writes_dates_is_recorded(
    browser_for: Browsers, container: Container
) -> None:
    officer = browser_for("us-case-officer")
    officer.headers["Accept-Language"] = "es-MX"
    path, page = person_page(officer)
    assert "una fecha, como 7 dic 2026" in form_of(page, "hold-form")
    data = {"kind": "tro", "issued_on": "15 mar 2026", "csrf_token": csrf_of(page)}
    assert officer.post(f"{path}/holds", data=data).status_code == 200
    refused = officer.post(f"{path}/holds", data={**data, "issued_on": "30/02/2026"})
    reason = refused.text.split('id="e-hold-issued_on">', 1)[1].split("</span>", 1)[0]
    assert reason == "debe ser una fecha, como 7 dic 2026"
    officer.headers["Accept-Language"] = "en-US"
    data = {**data, "issued_on": "3/16/2026", "csrf_token": csrf_of(officer.get(path).text)}
    assert officer.post(f"{path}/holds", data=data).status_code == 200
    assert {date(2026, 3, 15), date(2026, 3, 16)} <= set(holds_of(container, path))


def test_a_stale_correction_comes_back_with_the_names_typed_and_why(
    browser_for: Browsers,
) -> None:
    officer = browser_for("us-case-officer")
    path, page = person_page(officer)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    form = {
        "version": version.group(1),
        "family_name": "Portillo Méndez",
        "given_names": "Kilmer",
        "csrf_token": csrf_of(page),
    }
    corrected = officer.post(path, data=form)
    assert corrected.status_code == 200
    stale = officer.post(
        path, data={**form, "given_names": "K. A.", "csrf_token": csrf_of(corrected.text)}
    )
    assert stale.status_code == 409
    kept = form_of(stale.text, "correct-form")
    assert 'role="alert"' in kept and 'value="K. A."' in kept
