"""PDF documents, checked by reading their text back: a case summary with its legal basis,
a consent verification record and a movement manifest, each with its covering checkpoint."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.services import movements
from repatria.services.commands import ManifestChange, PlanMovement
from tests.web.scenarios import TODAY, principal, sign_checkpoint, treaty_case

Browsers = Callable[[str | None], TestClient]


def pdf_text(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_case_summary_gives_the_legal_basis_and_the_covering_checkpoint(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="approved")
    size = sign_checkpoint(container)
    text = _flat(pdf_text(browser_for("mx-reviewer"), f"/cases/{case_id}/summary.pdf"))
    assert "Case summary US-MX-" in text and "Ortega Salas, Julio" in text
    assert "Legal basis" in text and "us-mx-1976" in text and "allowed" in text
    assert "Consent verified" in text  # the timeline says its events in words
    assert "Covering checkpoint" in text and f"checkpoint of {size} events" in text


def test_a_document_printed_before_any_checkpoint_says_so(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container)
    text = _flat(pdf_text(browser_for("us-case-officer"), f"/cases/{case_id}/summary.pdf"))
    assert "Not yet covered by a signed checkpoint" in text


def test_the_consent_record_lists_the_hearing_and_every_advisement(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="approved")
    sign_checkpoint(container)
    text = _flat(pdf_text(browser_for("us-verifier"), f"/cases/{case_id}/consent.pdf"))
    assert "Consent verification record" in text and "Hon. A. Magistrate" in text
    assert "magistrate judge" in text and "CVH-2026-0042" in text and "consents" in text
    assert "§ 4107(b)(4)" in text and "NO" not in text.split()
    assert "Covering checkpoint" in text and "Tree size" in text


def test_the_manifest_lists_everyone_aboard_with_the_checkpoint(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="approved")
    officer = principal(container, "us-case-officer")
    with container.uow() as uow:
        movement = movements.plan(
            uow,
            officer,
            PlanMovement.model_validate(
                {
                    "authority": "us-mx-1976",
                    "from_state": "US",
                    "to_state": "MX",
                    "seats": 20,
                    "planned_departure": f"{TODAY.isoformat()}T12:00:00Z",
                }
            ),
        )
        assert movement.id is not None
        movements.add_case(uow, officer, movement.id, ManifestChange(case_id=case_id))
        uow.commit()
        movement_id = movement.id
    size = sign_checkpoint(container)
    text = _flat(pdf_text(browser_for("mx-case-officer"), f"/movements/{movement_id}/manifest.pdf"))
    assert re.search(r"Manifest us-mx-1976 US→MX #\d+ ", text)
    assert "Ortega Salas" in text and "aboard" in text and "1 of 20 seats" in text
    assert f"checkpoint of {size} events" in text


def test_the_manifest_writes_dates_as_people_do_and_has_blocks_for_both_officers_to_sign(
    browser_for: Browsers, container: Container
) -> None:
    with container.uow() as uow:
        closed = uow.session.scalar(select(t.movements.c.id).where(t.movements.c.state == "closed"))
    text = _flat(pdf_text(browser_for("us-case-officer"), f"/movements/{closed}/manifest.pdf"))
    assert "April 11, 2025" in text  # the demo's batch of 11 April 2025, as written
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text.split("Covering checkpoint")[0])
    assert "Handed over by the escorting officer (US)" in text
    assert "Received by the receiving officer (MX)" in text
    assert text.count("Signature: ") == 2 and text.count("Date and time: ") == 2


def test_no_document_tells_its_reader_to_run_a_command(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container)
    text = _flat(pdf_text(browser_for("us-case-officer"), f"/cases/{case_id}/summary.pdf"))
    assert "Not yet covered by a signed checkpoint" in text and "Record page" in text
    assert "repatria " not in text and "`" not in text


def test_a_months_invoice_prints_with_the_names_of_the_people_held(
    browser_for: Browsers, container: Container
) -> None:
    with container.uow() as uow:
        contract, started = uow.session.execute(
            select(t.custody_contracts.c.id, t.custody_contracts.c.starts_on)
        ).one()
        family = uow.session.scalar(
            select(t.people.c.family_name)
            .join(t.stays, t.stays.c.person_id == t.people.c.id)
            .where(t.stays.c.contract_id == contract)
        )
    month = f"{started:%Y-%m}"
    finance = browser_for("us-finance")
    assert (
        f"/contracts/{contract}/invoices/{month}.pdf" in finance.get(f"/contracts/{contract}").text
    )
    text = _flat(pdf_text(finance, f"/contracts/{contract}/invoices/{month}.pdf"))
    assert f"Invoice {month}" in text and "People held" in text and "Total" in text
    assert str(family) in text and "Payment not recorded as paid" in text
    assert (
        browser_for("mx-finance").get(f"/contracts/{contract}/invoices/{month}.pdf").status_code
        == 404
    )
