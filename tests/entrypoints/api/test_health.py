"""The health endpoint and the refusal to serve an unmigrated database."""

from __future__ import annotations

import gc

import pytest
from fastapi.testclient import TestClient

from repatria.adapters.db import migrate
from repatria.adapters.db.migrate import DatabaseNotMigrated
from repatria.bootstrap import Container, build
from repatria.entrypoints.api.app import create_app, create_served_app
from repatria.settings import Settings


def test_health_reports_database_kind_migration_and_version(
    anonymous: TestClient, backend: str
) -> None:
    body = anonymous.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"] == backend
    assert body["migration"] == body["migration_head"] == migrate.head_revision()


@pytest.mark.storage  # read from each database's own catalogue
def test_the_app_refuses_an_unmigrated_database_and_names_the_command(
    empty_database_url: str,
) -> None:
    container = build(Settings(database_url=empty_database_url))
    with pytest.raises(DatabaseNotMigrated, match="repatria db upgrade"):
        create_app(container)
    container.dispose()


def test_openapi_is_served_at_api_docs(anonymous: TestClient) -> None:
    assert anonymous.get("/api/docs").status_code == 200
    schema = anonymous.get("/api/openapi.json").json()
    assert "/api/v1/people" in schema["paths"]


def test_the_served_app_freezes_its_start_up_objects_and_serves(container: Container) -> None:
    gc.unfreeze()  # nothing frozen before: what is frozen after, create_served_app froze
    try:
        app = create_served_app(container)
        assert gc.get_freeze_count() > 10_000  # the modules, routes and law catalog
        with TestClient(app) as client:
            assert client.get("/api/v1/health").json()["status"] == "ok"
    finally:
        gc.unfreeze()
