"""POST /assessments gives the verdict `repatria assess` gives; stored verdicts replay, and say
so when the law data has changed since."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from repatria.entrypoints.api.assessments import EXAMPLE
from repatria.entrypoints.cli.main import app
from repatria.law import catalog as law_catalog
from repatria.law import engine
from repatria.law.document import parse_document
from repatria.services import law_in_force

Clients = Callable[[str], TestClient]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_the_api_returns_the_engines_verdict_and_stores_it(client_for: Clients) -> None:
    officer = client_for("us-case-officer")
    answer = _ok(officer.post("/api/v1/assessments", json=EXAMPLE), 201)
    expected = engine.assess(parse_document(EXAMPLE)).to_json()
    stored_keys = {"id", "engine_version", "law_digest"}
    assert {k: v for k, v in answer.items() if k not in stored_keys} == expected
    assert answer["law_digest"] == law_catalog.load_catalog().digest
    assert all(check["citation"] for check in answer["checks"])
    again = _ok(officer.get(f"/api/v1/assessments/{answer['id']}"))
    assert again["verdict"] == expected and again["document"] == EXAMPLE
    assert again["replay"]["same_verdict"] is True
    assert again["replay"]["explanation"] == "reproduced exactly"


def test_an_invalid_document_is_refused_naming_the_field(client_for: Clients) -> None:
    officer = client_for("us-case-officer")
    broken = {**EXAMPLE, "as_of": "11 April 2025"}
    response = officer.post("/api/v1/assessments", json=broken)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "as_of"


def test_a_key_given_twice_is_refused_not_silently_overwritten(client_for: Clients) -> None:
    officer = client_for("us-case-officer")
    body = json.dumps(EXAMPLE).replace(
        '"authority": "us-mx-1976"', '"authority": "us-mx-1976", "authority": "coe-ets-112"', 1
    )
    response = officer.post(
        "/api/v1/assessments", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "authority",
        "reason": "appears twice in the same object",
    }


def test_an_assessment_between_other_states_is_not_found(client_for: Clients) -> None:
    officer = client_for("us-case-officer")
    created = _ok(officer.post("/api/v1/assessments", json=EXAMPLE), 201)
    assert client_for("sv-reviewer").get(f"/api/v1/assessments/{created['id']}").status_code == 404
    assert client_for("mx-reviewer").get(f"/api/v1/assessments/{created['id']}").status_code == 200


def test_only_the_states_of_a_movement_store_an_assessment_of_it(client_for: Clients) -> None:
    # Mexico's reviewer assessing a US-El Salvador movement would store a record El Salvador
    # then reads: refused, and nothing is stored.
    elsewhere = {**EXAMPLE, "to": "SV", "person": {**EXAMPLE["person"], "citizenships": ["SV"]}}
    reviewer = client_for("mx-reviewer")
    refused = reviewer.post("/api/v1/assessments", json=elsewhere)
    assert refused.status_code == 403, refused.text
    assert "only US or SV" in refused.text
    listed = client_for("sv-reviewer").get("/api/v1/assessments")
    assert listed.status_code in (200, 405)
    if listed.status_code == 200:
        assert all(a.get("requested_by_state") != "MX" for a in listed.json().get("items", []))


@pytest.fixture
def stricter_law(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The law data with the treaty's minimum raised to 120 months from 2020 on."""
    data = tmp_path / "data"
    shutil.copytree(law_catalog.DATA_DIR, data)
    treaty = data / "authorities" / "us-mx-1976.yaml"
    text = treaty.read_text(encoding="utf-8")
    marker = "  minimum_months_remaining:\n"
    head, tail = text.split(marker)
    lines = tail.splitlines(keepends=True)
    # Append one dated value at the end of this parameter's list of values.
    end = next(
        (i for i, line in enumerate(lines) if i and line.startswith("  ") and line[2] != " "),
        len(lines),
    )
    added = (
        "      - from: 2020-01-01\n"
        "        value: 120\n"
        "        citation: {title: A test amendment}\n"
        "        verified: false\n"
        "        source: tests/entrypoints/api/test_assessments.py\n"
    )
    treaty.write_text(head + marker + "".join(lines[:end]) + added + "".join(lines[end:]))
    changed = law_catalog.load_catalog_from(data)
    monkeypatch.setattr(engine, "load_catalog", lambda: changed)
    # The services read the law in force through law_in_force (with approved amendments).
    monkeypatch.setattr(law_in_force, "load_catalog", lambda *_: changed)


def test_a_replay_says_when_the_law_data_changed_since(
    client_for: Clients, request: pytest.FixtureRequest
) -> None:
    officer = client_for("us-case-officer")
    created = _ok(officer.post("/api/v1/assessments", json=EXAMPLE), 201)
    assert created["allowed"] is True
    request.getfixturevalue("stricter_law")
    replayed = _ok(officer.get(f"/api/v1/assessments/{created['id']}"))["replay"]
    assert replayed["law_changed"] is True and replayed["same_verdict"] is False
    assert replayed["verdict"]["allowed"] is False
    assert "law data" in replayed["explanation"]
    # A release changed the shipped law without dating what it learned: the law the
    # assessment recorded cannot be rebuilt, and the replay says so rather than guess.
    assert replayed["recorded_law_rebuilt"] is False and replayed["under_recorded_law"] is None
    assert replayed["explanation"].endswith("the law it recorded can no longer be rebuilt here")


def test_the_cli_replays_a_stored_assessment(client_for: Clients, settings: object) -> None:
    created = _ok(client_for("us-case-officer").post("/api/v1/assessments", json=EXAMPLE), 201)
    result = CliRunner().invoke(app, ["assess", "--replay", str(created["id"])])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["allowed"] is True
    assert "reproduced exactly" in result.stderr


def test_with_accept_language_es_the_reasons_are_in_spanish_and_the_record_in_english(
    client_for: Clients,
) -> None:
    officer = client_for("mx-case-officer")
    answer = _ok(
        officer.post(
            "/api/v1/assessments", json=EXAMPLE, headers={"Accept-Language": "es-MX,es;q=0.9"}
        ),
        201,
    )
    english = engine.assess(parse_document(EXAMPLE)).to_json()
    spanish = engine.assess(parse_document(EXAMPLE), language="es").to_json()
    assert answer["checks"] == spanish["checks"] != english["checks"]
    assert answer["allowed"] == english["allowed"]
    nationality = {c["rule"]: c["reason"] for c in answer["checks"]}["us-mx-1976/nationality"]
    assert nationality == "nacional de México"
    # The record keeps the contract's English; read in Spanish it is the same verdict.
    stored = _ok(officer.get(f"/api/v1/assessments/{answer['id']}"))
    assert stored["verdict"] == english
    read = officer.get(f"/api/v1/assessments/{answer['id']}", headers={"Accept-Language": "es"})
    assert read.headers["Content-Language"] == "es"
    assert _ok(read)["verdict"]["checks"] == spanish["checks"]
    assert _ok(read)["replay"]["verdict"]["checks"] == spanish["checks"]
    assert _ok(read)["replay"]["same_verdict"] is True


@pytest.mark.parametrize("header", ["en-US,en;q=0.9", "fr-FR", "es;q=0, en", ""])
def test_without_spanish_first_the_reasons_are_in_english(client_for: Clients, header: str) -> None:
    officer = client_for("us-case-officer")
    response = officer.post(
        "/api/v1/assessments", json=EXAMPLE, headers={"Accept-Language": header}
    )
    answer = _ok(response, 201)
    assert response.headers["Content-Language"] == "en"
    assert answer["checks"] == engine.assess(parse_document(EXAMPLE)).to_json()["checks"]


def test_an_invalid_document_is_refused_in_spanish_naming_the_field(client_for: Clients) -> None:
    officer = client_for("mx-case-officer")
    document = {"authority": "us-mx-1976", "from": "US", "to": "MX", "as_of": "2025-04-11"}
    url, unknown = "/api/v1/assessments", {**document, "colour": 1}
    spanish = officer.post(url, json=unknown, headers={"Accept-Language": "es-MX"})
    english = officer.post(url, json=unknown)
    assert spanish.status_code == english.status_code == 422
    assert spanish.json()["errors"] == [{"field": "colour", "reason": "no es un campo conocido"}]
    assert english.json()["errors"] == [{"field": "colour", "reason": "is not a known field"}]
