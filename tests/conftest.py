"""Fixtures: a fresh, migrated database per test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from repatria.adapters.db import migrate
from repatria.adapters.db.engine import make_engine
from repatria.bootstrap import Container, build
from repatria.services import clock
from repatria.settings import Settings, get_settings

BACKENDS = ("sqlite", "postgresql")
TEMPLATE_DB = "repatria_template"
DEMO_TEMPLATE_DB = "repatria_demo_template"
_SESSION = ExitStack()


def pytest_configure(config: pytest.Config) -> None:
    """Hold the whole session to the day it started on, before any test module is imported:
    dates the tests write (`TODAY`) and the days the application defaults to stay the same
    day when a run goes past midnight."""
    _SESSION.enter_context(clock.held_to(date.today()))  # noqa: DTZ011 - the day to hold to


def pytest_unconfigure(config: pytest.Config) -> None:
    _SESSION.close()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL server for this test session, started from the pgserver wheel."""
    import pgserver

    root = tmp_path_factory.mktemp("pg")
    server = pgserver.get_server(root, cleanup_mode="stop")
    base = server.get_uri().replace("postgresql://", "postgresql+psycopg://")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DB}"))
    admin.dispose()
    template = make_engine(_with_database(base, TEMPLATE_DB))
    migrate.upgrade(template)
    template.dispose()
    _create_demo_template(base)
    yield base
    server.cleanup()


def _load_demo(url: str) -> None:
    from repatria.services import demo

    container = build(Settings(database_url=url))
    with container.uow() as uow:
        demo.load(uow)
        uow.commit()
    container.dispose()


def _create_demo_template(base: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {DEMO_TEMPLATE_DB} TEMPLATE {TEMPLATE_DB}"))
    admin.dispose()
    _load_demo(_with_database(base, DEMO_TEMPLATE_DB))


def _with_database(uri: str, name: str) -> str:
    prefix, _, rest = uri.partition("@/")
    _, _, query = rest.partition("?")
    return f"{prefix}@/{name}?{query}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_demo_template(sqlite_template: Path) -> Path:
    """A migrated SQLite file holding the demo data, which each demo test copies."""
    path = sqlite_template.with_name("demo.sqlite3")
    shutil.copy(sqlite_template, path)
    _load_demo(f"sqlite:///{path}")
    return path


def _fresh_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path, content: str) -> str:
    """A new database: 'empty', 'schema' (migrated) or 'demo' (migrated, with demo data)."""
    if backend == "sqlite":
        path = tmp_path / "repatria.sqlite3"
        if content != "empty":
            fixture = "sqlite_demo_template" if content == "demo" else "sqlite_template"
            shutil.copy(request.getfixturevalue(fixture), path)
        return f"sqlite:///{path}"
    base = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:16]}"
    templates = {
        "empty": "",
        "schema": f" TEMPLATE {TEMPLATE_DB}",
        "demo": f" TEMPLATE {DEMO_TEMPLATE_DB}",
    }
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}{templates[content]}"))
    admin.dispose()
    return _with_database(base, name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def database_content() -> str:
    """What a test's database holds; override in a module to get 'demo' data."""
    return "schema"


@pytest.fixture
def database_url(
    backend: str, database_content: str, request: pytest.FixtureRequest, tmp_path: Path
) -> str:
    """The URL of a fresh database at the newest migration."""
    return _fresh_url(backend, request, tmp_path, database_content)


@pytest.fixture
def empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, empty, unmigrated database."""
    return _fresh_url(backend, request, tmp_path, "empty")


@pytest.fixture
def settings(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Settings]:
    """Settings pointing at the fresh database, also seen by get_settings() and the CLI; the
    audit witness file is the test's own (on PostgreSQL it would be ./data/'s)."""
    monkeypatch.setenv("REPATRIA_DATABASE_URL", database_url)
    monkeypatch.setenv("REPATRIA_AUDIT_WITNESS_FILE", str(tmp_path / "audit-witness.log"))
    monkeypatch.setenv("REPATRIA_ENV", "test")
    monkeypatch.setenv("REPATRIA_SECRET_KEY", "test-secret-" + uuid.uuid4().hex)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    """The composition root on the fresh database."""
    built = build(settings)
    yield built
    built.dispose()


@pytest.fixture(autouse=True)
def _no_stray_database_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own REPATRIA_* variables must not leak into tests.
    for name in list(os.environ):
        if name.startswith("REPATRIA_"):
            monkeypatch.delenv(name)
