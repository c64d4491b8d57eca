"""The record page's request for a signed checkpoint: recorded by the web (which never reads
the signing key), shown as pending with who asked, and answered by the signing command with
the checkpoint that covers it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.entrypoints.cli.audit import answer_requests
from repatria.services import audit_keys
from tests.web.conftest import csrf_of
from tests.web.scenarios import sign_checkpoint

Browsers = Callable[[str], TestClient]
# Requests are answered by the events' seq, which each database derives from the leaf.
pytestmark = pytest.mark.storage


def ask(client: TestClient, reason: str) -> str:
    token = csrf_of(client.get("/record").text.split('id="checkpoint-requests"', 1)[1])
    answer = client.post(
        "/record/checkpoint-requests", data={"reason": reason, "csrf_token": token}
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def requests_table(page: str) -> str:
    return page.split("Checkpoint requests, newest first", 1)[1].split("</table>", 1)[0]


def test_an_auditors_request_is_pending_with_who_asked_until_a_checkpoint_covers_it(
    browser_for: Browsers, container: Container
) -> None:
    page = ask(browser_for("us-auditor"), "before the court hearing")
    assert "Your request is recorded" in page
    pending = requests_table(page)
    assert "us-auditor" in pending and "before the court hearing" in pending
    assert "Waiting for the signing command" in pending
    with container.uow() as uow:
        event = uow.session.execute(
            select(t.events.c.actor, t.events.c.reason).where(
                t.events.c.command == "RequestCheckpoint"
            )
        ).one()
    assert tuple(event) == ("us-auditor", "before the court hearing")

    dashboard = browser_for("mx-admin").get("/dashboard").text
    assert "1 signed checkpoint asked for waits for the signing command." in dashboard
    size = sign_checkpoint(container)
    assert 'id="checkpoints-waiting"' not in browser_for("mx-admin").get("/dashboard").text
    answered = requests_table(browser_for("us-auditor").get("/record").text)
    assert "Waiting for the signing command" not in answered
    assert f"Signed: the checkpoint of {size:,} events" in answered


def test_a_request_made_after_the_signing_stays_pending(
    browser_for: Browsers, container: Container
) -> None:
    admin = browser_for("mx-admin")
    ask(admin, "first")
    size = sign_checkpoint(container)
    page = requests_table(ask(admin, "second"))
    second, first = page.split("<tbody>", 1)[1].split("<tr", 2)[1:]  # newest first
    assert "second" in second and "Waiting for the signing command" in second
    assert "first" in first and f"the checkpoint of {size:,} events" in first


def test_a_case_officer_may_not_ask_and_nothing_is_recorded(
    browser_for: Browsers, container: Container
) -> None:
    officer = browser_for("us-case-officer")
    token = csrf_of(officer.get("/account").text)
    refused = officer.post("/record/checkpoint-requests", data={"csrf_token": token})
    assert refused.status_code == 403
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.checkpoint_requests)) == 0


def test_the_watching_signing_command_answers_a_request_on_its_next_round(
    browser_for: Browsers, container: Container
) -> None:
    key = audit_keys.load_signing_key(container.settings)
    answer_requests(container, key, every=0, rounds=1)  # nothing asked: nothing signed
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(t.audit_checkpoints)) == 0
    ask(browser_for("us-auditor"), "watched")
    answer_requests(container, key, every=0, rounds=1)
    page = requests_table(browser_for("us-auditor").get("/record").text)
    assert "Waiting for the signing command" not in page and "Signed: the checkpoint of" in page
