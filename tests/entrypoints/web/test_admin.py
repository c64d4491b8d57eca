"""Administrators add users of their state in the browser; nobody else may."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of

Browsers = Callable[[str | None], TestClient]


def test_an_administrator_adds_a_user_who_can_then_sign_in(browser_for: Browsers) -> None:
    admin = browser_for("us-admin")
    page = admin.get("/admin")
    assert page.status_code == 200 and "<code>us-iptu</code>" in page.text
    added = admin.post(
        "/admin/users",
        data={
            "username": "ana",
            "display_name": "Ana Officer",
            "role": "case_officer",
            "organisation_code": "us-iptu",
            "password": "quiet-harbour-71",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert added.status_code == 200
    ana = browser_for(None)
    form = {"username": "ana", "password": "quiet-harbour-71"}
    signed_in = ana.post("/login", data={**form, "csrf_token": csrf_of(ana.get("/login").text)})
    assert signed_in.status_code == 200
    assert "ana · case officer · US" in ana.get("/dashboard").text


def test_the_admin_page_is_refused_to_other_roles(browser_for: Browsers) -> None:
    assert browser_for("us-case-officer").get("/admin").status_code == 403


def test_a_refused_user_comes_back_as_typed_without_the_password(browser_for: Browsers) -> None:
    admin = browser_for("us-admin")
    page = admin.get("/admin")
    form = {
        "username": "bea",
        "display_name": "Bea Reviewer",
        "role": "reviewer",
        "organisation_code": "us-iptu",
        "password": "tiny-pw",
        "csrf_token": csrf_of(page.text),
    }
    refused = admin.post("/admin/users", data=form)
    assert refused.status_code == 422
    kept = refused.text.split('id="user-form"', 1)[1].split("</form>", 1)[0]
    assert 'value="bea"' in kept and 'value="Bea Reviewer"' in kept
    assert 'value="reviewer" selected' in kept and "tiny-pw" not in kept
    reason = kept.split('id="e-user-password">', 1)[1].split("</span>", 1)[0]
    assert reason == "is too short (at least 10 characters)"
    again = admin.post(
        "/admin/users", data={**form, "username": "us-case-officer", "password": "quiet-harbour-72"}
    )
    assert again.status_code == 409  # the name is taken: said above the form, typed kept
    kept = again.text.split('id="user-form"', 1)[1].split("</form>", 1)[0]
    assert 'role="alert"' in kept and 'value="us-case-officer"' in kept
