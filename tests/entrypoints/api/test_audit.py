"""The audit API: checkpoints, consistency and inclusion proofs, for auditors and admins only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from repatria.bootstrap import Container
from repatria.domain import merkle
from repatria.domain.accounts import Principal, Role
from repatria.domain.audit_checkpoints import Checkpoint, public_key_from_hex, raw_public_key
from repatria.entrypoints.api import audit as audit_api
from repatria.entrypoints.api import errors
from repatria.services import accounts, audit, audit_keys
from repatria.services.commands import CreateOrganisation, CreateUser
from tests.entrypoints.api.conftest import BASE_URL, issue_token

# The record's hashes are read back by SQL that differs by database.
pytestmark = pytest.mark.storage

SYSTEM = Principal.system("test")


@pytest.fixture
def database_content() -> str:
    return "schema"  # the accounts are made here, so the tests need no demo data


@pytest.fixture
def audited(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Container:
    """Two states' organisations with an auditor, an admin and a case officer; one checkpoint."""
    monkeypatch.chdir(tmp_path)  # a generated development key lands in tmp_path/data/
    with container.uow() as uow:
        for code, state in (("us-unit", "US"), ("mx-unit", "MX")):
            accounts.create_organisation(
                uow, SYSTEM, CreateOrganisation(code=code, name=code, state=state)
            )
        for username, role, organisation in (
            ("audra", Role.AUDITOR, "mx-unit"),
            ("adam", Role.ADMIN, "us-unit"),
            ("olga", Role.CASE_OFFICER, "us-unit"),
        ):
            command = CreateUser(
                username=username,
                display_name=username,
                password="a long password",
                role=role,
                organisation_code=organisation,
            )
            accounts.create_user(uow, SYSTEM, command)
        uow.commit()
    settings = container.settings
    key = audit_keys.load_signing_key(settings)
    with container.uow() as uow:
        report = audit.sign(uow, settings.database_url, key, audit_keys.witness_path(settings))
    assert report.new_checkpoint is not None
    return container


@pytest.fixture
def client_as(audited: Container) -> Iterator[Callable[[str], TestClient]]:
    app = FastAPI()
    app.state.container = audited
    errors.install(app)
    app.include_router(audit_api.router, prefix="/api/v1")
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        raw = issue_token(audited, username, timedelta(hours=1))
        client = TestClient(app, base_url=BASE_URL, headers={"Authorization": f"Bearer {raw}"})
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def test_an_auditor_reads_checkpoints_signed_by_the_published_key(
    client_as: Callable[[str], TestClient],
) -> None:
    body = client_as("audra").get("/api/v1/audit/checkpoints").json()
    latest = body["latest"]
    checkpoint = Checkpoint(
        latest["tree_size"],
        bytes.fromhex(latest["root_hash"]),
        audit_signed_at(latest["signed_at"]),
        bytes.fromhex(latest["signature"]),
        latest["key_id"],
    )
    assert checkpoint.signed_by(public_key_from_hex(body["public_key"]))
    assert body["items"] == [latest]


def audit_signed_at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_an_event_proof_verifies_against_the_checkpoint(
    client_as: Callable[[str], TestClient],
) -> None:
    proof = client_as("audra").get("/api/v1/audit/events/2/proof").json()
    assert merkle.verify_inclusion_document(proof)
    assert proof["root_hash"] == proof["checkpoint"]["root_hash"]


def test_a_consistency_proof_is_served_for_a_checkpoint(
    client_as: Callable[[str], TestClient],
) -> None:
    auditor = client_as("audra")
    size = auditor.get("/api/v1/audit/checkpoints").json()["latest"]["tree_size"]
    body = auditor.get(f"/api/v1/audit/checkpoints/{size}/consistency", params={"from": 2}).json()
    assert merkle.verify_consistency(
        2,
        size,
        bytes.fromhex(body["from_root"]),
        bytes.fromhex(body["root_hash"]),
        [bytes.fromhex(node) for node in body["proof"]],
    )


def test_other_roles_may_not_read_the_audit_log(client_as: Callable[[str], TestClient]) -> None:
    assert client_as("olga").get("/api/v1/audit/checkpoints").status_code == 403


def test_an_admin_gets_404_for_an_event_of_another_state(
    client_as: Callable[[str], TestClient],
) -> None:
    admin = client_as("adam")
    assert admin.get("/api/v1/audit/events/1/proof").status_code == 200  # the US organisation
    assert admin.get("/api/v1/audit/events/2/proof").status_code == 404  # the MX organisation


def test_the_api_serves_the_public_key_without_the_private_key(
    client_as: Callable[[str], TestClient],
    audited: Container,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = audit_keys.load_signing_key(audited.settings)
    key.path.rename(key.path.with_name("kept-elsewhere.pem"))  # not on the web host at all

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the web process read a private key")

    monkeypatch.setattr(audit_keys, "load_signing_key", refuse)
    monkeypatch.setattr(audit_keys, "load_pem_private_key", refuse)
    auditor = client_as("audra")
    body = auditor.get("/api/v1/audit/checkpoints").json()
    assert body["public_key"] == raw_public_key(key.public_key).hex()
    assert auditor.get("/api/v1/audit/events/2/proof").status_code == 200
    assert not key.path.exists()
