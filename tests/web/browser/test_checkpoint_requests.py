"""In a real browser, on the demo data: an auditor asks for a signed checkpoint on the record
page, the signing command runs (`repatria audit checkpoint`, the only process that reads the
private key), and the page shows the new signed checkpoint answering the request."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from repatria.bootstrap import Container
from repatria.entrypoints.cli.audit import audit_app
from repatria.settings import get_settings
from tests.web.browser.conftest import screenshot

SignIn = Callable[[str], Page]


def test_an_auditor_asks_for_a_checkpoint_and_the_signing_command_signs_it(
    sign_in: SignIn, container: Container
) -> None:
    page = sign_in("us-auditor")
    page.goto("/record")
    expect(page.locator("#h-latest + dl, #h-latest ~ p").first).to_contain_text(
        "No checkpoint has been signed yet"
    )
    page.get_by_label("Why (optional)").fill("before the oversight visit")
    page.get_by_role("button", name="Ask for a signed checkpoint").click()
    expect(page.get_by_role("status")).to_contain_text("Your request is recorded")
    requests = page.get_by_role("table", name="Checkpoint requests, newest first")
    expect(requests.locator("tbody tr").first).to_contain_text("us-auditor")
    expect(requests.locator("tbody tr").first).to_contain_text("Waiting for the signing command")

    get_settings.cache_clear()
    signed = CliRunner().invoke(audit_app, ["checkpoint"])
    assert signed.exit_code == 0, signed.stderr
    size = json.loads(signed.stdout)["tree_size"]  # the checkpoint it signed, as it printed it

    page.reload()
    latest = page.locator("section[aria-labelledby=h-latest] dl")
    expect(latest).to_contain_text("Events covered")
    expect(latest.locator("dd").first).to_have_text(str(size))
    expect(requests.locator("tbody tr").first).to_contain_text(
        f"Signed: the checkpoint of {size:,} events"
    )
    screenshot(page, "record-checkpoint-request")
