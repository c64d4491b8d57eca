"""Documents for the person concerned in Spanish (issue 20): the consent verification record
has Spanish beside English, and the case summary prints in Spanish when asked."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from repatria.bootstrap import Container
from tests.entrypoints.web.test_documents import _flat, pdf_text
from tests.web.scenarios import sign_checkpoint, treaty_case

Browsers = Callable[[str | None], TestClient]


def test_the_consent_record_has_spanish_beside_english(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="approved")
    sign_checkpoint(container)
    text = _flat(pdf_text(browser_for("us-verifier"), f"/cases/{case_id}/consent.pdf"))
    assert "Constancia de verificación del consentimiento" in text
    assert "Consent verification record" in text
    # Each advisement the person was given, in both languages.
    assert "El consentimiento, una vez verificado, es irrevocable" in text
    assert "Consent, once verified, is irrevocable" in text
    assert "Respuesta: consiente" in text and "Answer: consents" in text
    assert "juez magistrado" in text and "magistrate judge" in text


def test_the_consent_record_is_bilingual_whatever_the_readers_language(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="approved")
    reader = browser_for("mx-reviewer")
    spanish = _flat(pdf_text(reader, f"/cases/{case_id}/consent.pdf?lang=es"))
    assert "Answer: consents" in spanish and "Respuesta: consiente" in spanish


def test_the_case_summary_prints_in_spanish(browser_for: Browsers, container: Container) -> None:
    case_id = treaty_case(container, through="approved")
    sign_checkpoint(container)
    officer = browser_for("us-case-officer")
    text = _flat(pdf_text(officer, f"/cases/{case_id}/summary.pdf?lang=es"))
    assert "Resumen del expediente US-MX-" in text
    assert "Fundamento legal" in text and "Cronología" in text
    assert "Punto de control que lo ampara" in text
    assert "Legal basis" not in text and "Timeline" not in text
    assert "Tratado" in text  # the treaty's title in Spanish; its citation as cited


def test_the_case_page_links_the_summary_in_spanish(
    browser_for: Browsers, container: Container
) -> None:
    case_id = treaty_case(container, through="approved")
    page = browser_for("us-case-officer").get(f"/cases/{case_id}")
    assert f'href="/cases/{case_id}/summary.pdf?lang=es"' in page.text
