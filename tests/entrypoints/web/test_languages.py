"""Choosing the language of the pages: the browser's Accept-Language, the header's switch
(signed out too) and the preference saved on the account page, in that order of strength."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from tests.web.conftest import csrf_of
from tests.web.scenarios import treaty_case

Browsers = Callable[[str | None], TestClient]
SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


def _switch(client: TestClient, language: str, back: str = "/statistics") -> str:
    page = client.get(back).text
    link = re.search(rf'href="(/language/{language}\?next=[^"]+)"', page)
    assert link, "no switch to this language in the header"
    answer = client.get(html.unescape(link.group(1)), follow_redirects=False)
    assert answer.status_code == 303
    return answer.headers["location"]


def test_a_spanish_browser_gets_the_login_page_in_spanish(browser_for: Browsers) -> None:
    page = browser_for(None).get("/login", headers=SPANISH)
    assert '<html lang="es">' in page.text
    assert "Iniciar sesión" in page.text
    assert page.headers["content-language"] == "es"


def test_an_english_browser_gets_english(browser_for: Browsers) -> None:
    page = browser_for(None).get("/login", headers={"Accept-Language": "en-US"})
    assert '<html lang="en">' in page.text
    assert "Sign in to Repatria" in page.text


def test_the_switch_works_signed_out_and_outweighs_the_browser(browser_for: Browsers) -> None:
    visitor = browser_for(None)
    assert _switch(visitor, "es") == "/statistics"
    page = visitor.get("/statistics", headers={"Accept-Language": "en-US"})
    assert '<html lang="es">' in page.text
    assert "Estadísticas públicas" in page.text


def test_the_switch_goes_back_only_to_this_site(browser_for: Browsers) -> None:
    visitor = browser_for(None)
    answer = visitor.get("/language/es?next=https://elsewhere.example/", follow_redirects=False)
    assert answer.headers["location"] == "/"


def test_signed_in_the_switch_saves_the_preference(browser_for: Browsers) -> None:
    official = browser_for("mx-reviewer")
    page = official.get("/dashboard")
    answer = official.post(
        "/language",
        data={"language": "es", "next": "/dashboard", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/dashboard"
    elsewhere = browser_for("mx-reviewer")  # another browser, no cookie of this one
    assert '<html lang="es">' in elsewhere.get("/dashboard").text


def test_the_account_preference_outweighs_the_browser_and_is_recorded(
    browser_for: Browsers, container: Container
) -> None:
    official = browser_for("mx-reviewer")
    account = official.get("/account")
    saved = official.post(
        "/account/language",
        data={"language": "es", "csrf_token": csrf_of(account.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    confirmed = official.get(saved.headers["location"])
    assert "Se guardó su elección de idioma." in confirmed.text
    official.cookies.clear()  # the preference is the account's, not this browser's
    signed_in = browser_for("mx-reviewer")
    page = signed_in.get("/dashboard", headers={"Accept-Language": "en-US"})
    assert '<html lang="es">' in page.text
    with container.uow(read_only=True) as uow:
        query = select(t.events.c.command).where(t.events.c.command == "ChangeLanguage")
        assert uow.session.execute(query).first() is not None


def test_an_unknown_language_is_refused_naming_the_field(browser_for: Browsers) -> None:
    official = browser_for("mx-reviewer")
    account = official.get("/account")
    refused = official.post(
        "/account/language", data={"language": "fr", "csrf_token": csrf_of(account.text)}
    )
    assert refused.status_code == 422
    assert "language" in refused.text


def test_an_address_may_ask_for_a_language_whatever_the_preference(browser_for: Browsers) -> None:
    visitor = browser_for(None)
    chart = visitor.get("/statistics/transfers.svg?lang=es", headers={"Accept-Language": "en"})
    assert "Personas trasladadas por año" in chart.text


def test_a_spanish_form_error_names_the_field_in_spanish(browser_for: Browsers) -> None:
    officer = browser_for("mx-case-officer")
    page = officer.get("/people", headers=SPANISH)
    refused = officer.post(
        "/people",
        data={"family_name": "Ruiz", "csrf_token": csrf_of(page.text)},
        headers=SPANISH,
    )
    assert refused.status_code == 422
    assert "Revise el formulario" in refused.text and "es obligatorio" in refused.text


def test_an_unknown_address_answers_in_spanish(browser_for: Browsers) -> None:
    page = browser_for(None).get("/no-such-page", headers=SPANISH)
    assert page.status_code == 404
    assert '<html lang="es">' in page.text and "No encontrado" in page.text


def test_the_api_explains_a_refusal_in_the_language_asked_for(browser_for: Browsers) -> None:
    api = browser_for(None)
    spanish = api.post("/api/v1/assessments", json={"authority": "us-mx-1976"}, headers=SPANISH)
    english = api.post("/api/v1/assessments", json={"authority": "us-mx-1976"})
    assert spanish.status_code == english.status_code == 401
    assert "no ha iniciado sesión" in spanish.json()["detail"]
    assert spanish.headers["content-language"] == "es"
    assert english.json()["detail"] == "sign in, or send an API token as 'Authorization: Bearer …'"


def test_a_record_not_found_is_said_in_spanish(browser_for: Browsers) -> None:
    official = browser_for("mx-reviewer")
    page = official.get("/cases/999999", headers=SPANISH)
    assert page.status_code == 404
    assert "no se encontró: expediente 999999" in page.text
    api = official.get("/api/v1/cases/999999", headers=SPANISH)
    assert api.json()["detail"] == "no se encontró: expediente 999999"
    assert official.get("/api/v1/cases/999999").json()["detail"] == "case 999999 not found"


def test_the_api_names_each_refused_field_with_its_reason_in_spanish(
    browser_for: Browsers,
) -> None:
    api = browser_for("mx-case-officer")
    refused = api.post("/api/v1/people", json={"given_names": "Ana"}, headers=SPANISH)
    assert refused.status_code == 422
    reasons = {error["field"]: error["reason"] for error in refused.json()["errors"]}
    assert reasons["family_name"] == "es obligatorio"
    english = api.post("/api/v1/people", json={"given_names": "Ana"})
    assert {e["field"]: e["reason"] for e in english.json()["errors"]}["family_name"] == (
        "Field required"
    )


def test_a_step_not_possible_now_is_explained_in_spanish(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container)  # a draft: it must be submitted before it is screened
    officer = browser_for("us-case-officer")
    page = officer.get(f"/cases/{case_id}", headers=SPANISH)
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    refused = officer.post(
        f"/cases/{case_id}/steps",
        data={"command": "screen", "version": version.group(1), "csrf_token": csrf_of(page.text)},
        headers=SPANISH,
    )
    assert refused.status_code == 409
    assert "No es posible ahora" in refused.text
    assert "no es posible revisar requisitos desde la etapa «borrador»" in refused.text
