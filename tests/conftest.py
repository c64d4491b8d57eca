"""Fixtures: a fresh, migrated database per test, on SQLite, and also on a real PostgreSQL
server where storage makes a difference; the application built once a session.

Which tests run on both databases: those placed under tests/adapters/ (the repositories and
migrations), those marked `storage` (the record's hashes, the unit of work's locks, the
exchange's inbox and outbox, SQL the API or a page reaches that differs by database), and those
that take `backend` as an argument (they say they differ by database). Every other test runs on
SQLite only. The migrated (and demo) databases are made once a run, under a lock shared by the
xdist workers, and copied for each test: a SQLite file copy, a PostgreSQL `CREATE DATABASE …
TEMPLATE`; one PostgreSQL server serves every worker.
"""

from __future__ import annotations

import fcntl
import gc
import inspect
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

# One Polars thread a worker, set before Polars is first imported: the suite runs three workers
# on two cores beside Chromium and PostgreSQL, and each worker's pool of threads, one a core,
# waited on the others' (the screening agreement properties took 3.6 times as long in the
# whole suite as alone). Production keeps Polars' own pool.
os.environ.setdefault("POLARS_MAX_THREADS", "1")

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from repatria.adapters.db import migrate
from repatria.adapters.db.engine import make_engine
from repatria.bootstrap import Container, build
from repatria.services import clock
from repatria.settings import Settings, get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

BACKENDS = ("sqlite", "postgresql")
TESTS = Path(__file__).resolve().parent
# Tests placed here run on both databases: they are about storage. A use case's test under
# tests/services/ runs on SQLite unless marked `storage`: its SQL is the repositories', which
# tests/adapters/ runs on both.
STORAGE_PLACES = ("adapters",)
TEMPLATE_DB = "repatria_template"
DEMO_TEMPLATE_DB = "repatria_demo_template"
# argon2 at its cheapest in tests (a hash or a check in a millisecond instead of a quarter of a
# second, on every sign-in); production keeps the settings' default and refuses less.
CHEAP_PASSWORD_HASHING = {
    "REPATRIA_PASSWORD_HASH_TIME_COST": "1",
    "REPATRIA_PASSWORD_HASH_MEMORY_KIB": "64",
}
_SESSION = ExitStack()

# Property tests draw new examples every run (and first replay the failures kept in
# .hypothesis/). No deadline: on a busy two-core machine an example's time says nothing.
# HYPOTHESIS_PROFILE=thorough tries ten times as many; the costly properties take a share of
# `max_examples` (tests/screening/test_agreement.py).
hypothesis_settings.register_profile("repatria", deadline=None, max_examples=100)
hypothesis_settings.register_profile("thorough", deadline=None, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repatria"))


def pytest_configure(config: pytest.Config) -> None:
    """Hold the whole session to the day it started on, before any test module is imported:
    dates the tests write (`TODAY`) and the days the application defaults to stay the same
    day when a run goes past midnight."""
    _SESSION.enter_context(clock.held_to(date.today()))  # noqa: DTZ011 - the day to hold to
    # Rarer cycle collections: a worker holds millions of long-lived objects (the application,
    # the law, every collected test) that each full collection walked again. Measured on 531
    # tests in one process: 8 s of 68 s of CPU in the collector with Python's thresholds, 3 s
    # of 54 s with these.
    gc.set_threshold(50_000, 20, 100)


def pytest_unconfigure(config: pytest.Config) -> None:
    _SESSION.close()


def _runs_on_both(function: Any, path: Path, marked: bool) -> bool:
    """Whether a test is about storage: placed or marked so, or naming `backend` itself."""
    if marked or "backend" in inspect.signature(function).parameters:
        return True
    return path.resolve().relative_to(TESTS).parts[0] in STORAGE_PLACES


def _names_backend(marker: pytest.Mark) -> bool:
    names = marker.args[0] if marker.args else marker.kwargs.get("argnames", "")
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",")]
    return "backend" in names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a storage test once on each database; every other test on SQLite only."""
    if "backend" not in metafunc.fixturenames:
        return
    if any(_names_backend(mark) for mark in metafunc.definition.iter_markers("parametrize")):
        return  # the test names its database itself
    marked = metafunc.definition.get_closest_marker("storage") is not None
    if _runs_on_both(metafunc.function, metafunc.definition.path, marked):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what needs more than Python: `postgresql` (the test's database is PostgreSQL) and
    `browser` (tests/web/browser/), so that `make check` can leave them out. Then the `slow`
    tests go first: started last, one of them (up to a minute) would run alone at the end
    while the other workers sat idle."""
    browser = TESTS / "web" / "browser"
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgresql)
        if browser in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: in order


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The test's database: SQLite, or each of SQLite and PostgreSQL for a storage test."""
    return str(getattr(request, "param", "sqlite"))


# --- made once a run, shared by the workers -----------------------------------------------------


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of this run that every xdist worker sees (the run's own, not the user's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _exclusively(directory: Path, name: str) -> Iterator[Path]:
    """Hold the run-wide lock `name`: one worker makes a thing, the others wait and reuse it."""
    with (directory / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield directory / f"{name}.done"
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _load_demo(url: str) -> None:
    from repatria.services import demo

    container = build(Settings(database_url=url, env="development"))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in CHEAP_PASSWORD_HASHING.items():  # the demo users' hash
            patch.setenv(name, value)
        get_settings.cache_clear()
        with container.uow() as uow:
            demo.load(uow)
            uow.commit()
    get_settings.cache_clear()
    container.dispose()


@pytest.fixture(scope="session")
def sqlite_template(shared_dir: Path) -> Path:
    """A migrated SQLite file that each test copies."""
    path = shared_dir / "template.sqlite3"
    with _exclusively(shared_dir, "sqlite-template") as done:
        if not done.exists():
            engine = make_engine(f"sqlite:///{path}")
            migrate.upgrade(engine)
            engine.dispose()
            done.touch()
    return path


@pytest.fixture(scope="session")
def sqlite_demo_template(shared_dir: Path, sqlite_template: Path) -> Path:
    """A migrated SQLite file holding the demo data, which each demo test copies."""
    path = shared_dir / "demo.sqlite3"
    with _exclusively(shared_dir, "sqlite-demo-template") as done:
        if not done.exists():
            shutil.copy(sqlite_template, path)
            _load_demo(f"sqlite:///{path}")
            done.touch()
    return path


@pytest.fixture(scope="session")
def postgres_server(shared_dir: Path) -> Iterator[str]:
    """A real PostgreSQL server for this run, started from the pgserver wheel, with its
    migrated and demo template databases; stopped when the last worker lets go of it."""
    server = _start_postgres(shared_dir / "pg")
    base = server.get_uri().replace("postgresql://", "postgresql+psycopg://")
    with _exclusively(shared_dir, "postgres-templates") as done:
        if not done.exists():
            _make_postgres_templates(base)
            done.touch()
    yield base
    server.cleanup()


def _start_postgres(pgdata: Path) -> Any:
    """pgserver's server on `pgdata`, asked again when it was slow to start: pg_ctl gives it
    10 s, which a busy two-core machine can exceed (the server is then usually up a moment
    later, and the next request finds it)."""
    from pgserver.postgres_server import PostgresServer, get_server

    for attempt in range(1, 4):
        try:
            server = get_server(pgdata, cleanup_mode="stop")
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError):
            if attempt == 3:
                raise
            PostgresServer._instances.pop(pgdata.resolve(), None)  # the failed handle
            time.sleep(5)
            continue
        base = server.get_uri().replace("postgresql://", "postgresql+psycopg://")
        for _ in range(60):  # accepting connections, not only started
            try:
                with create_engine(base, poolclass=NullPool).connect() as connection:
                    connection.execute(text("SELECT 1"))
                return server
            except OperationalError:
                time.sleep(1)
    raise RuntimeError(f"PostgreSQL did not start on {pgdata}")


def _make_postgres_templates(base: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        # Test data need not survive a crash of the machine: no waiting for the disk.
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            connection.execute(text(f"ALTER SYSTEM SET {setting} = off"))
        connection.execute(text("SELECT pg_reload_conf()"))
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DB}"))
    template = make_engine(_with_database(base, TEMPLATE_DB))
    migrate.upgrade(template)
    template.dispose()
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {DEMO_TEMPLATE_DB} TEMPLATE {TEMPLATE_DB}"))
    admin.dispose()
    _load_demo(_with_database(base, DEMO_TEMPLATE_DB))


def _with_database(uri: str, name: str) -> str:
    prefix, _, rest = uri.partition("@/")
    _, _, query = rest.partition("?")
    return f"{prefix}@/{name}?{query}"


# --- a fresh database per test ------------------------------------------------------------------


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
    admin = create_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}{templates[content]}"))

    def drop() -> None:
        # Gone with the test, the connections left to it closed: its files are deleted before
        # they are ever written out (some 12 MB a test, 2 GB a run, when they were all kept).
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()

    request.addfinalizer(drop)
    return _with_database(base, name)


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


def repatria_environment(database_url: str, directory: Path) -> dict[str, str]:
    """The REPATRIA_* variables a test runs with: its database, its own audit witness file in
    `directory`, cheap password hashing and a secret of its own."""
    return {
        "REPATRIA_DATABASE_URL": database_url,
        "REPATRIA_AUDIT_WITNESS_FILE": str(directory / "audit-witness.log"),
        "REPATRIA_ENV": "test",
        "REPATRIA_SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
        **CHEAP_PASSWORD_HASHING,
        # No role needs a security key unless a test says so (tests/web/browser/
        # test_security_keys.py and the services' tests of it): the others sign in with a password.
        "REPATRIA_REQUIRE_SECURITY_KEY_ROLES": "",
    }


@pytest.fixture
def settings(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Settings]:
    """Settings pointing at the fresh database, also seen by get_settings() and the CLI; the
    audit witness file is the test's own (on PostgreSQL it would be ./data/'s)."""
    for name, value in repatria_environment(database_url, tmp_path).items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    """The composition root on the fresh database."""
    built = build(settings)
    yield built
    built.dispose()


@pytest.fixture(scope="session")
def served_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The application, built once a session: building it takes FastAPI a second (it reads
    every route's signature). Each test points it at its own database (`app`)."""
    from repatria.entrypoints.api.app import create_app

    path = tmp_path_factory.mktemp("app") / "repatria.sqlite3"
    shutil.copy(sqlite_template, path)
    return create_app(build(Settings(database_url=f"sqlite:///{path}", env="development")))


@pytest.fixture
def app(served_app: FastAPI, container: Container) -> Iterator[FastAPI]:
    """The application on the test's database (what `create_app(container)` gives, built once:
    every request reads the container from `app.state`). A test that adds a route takes it
    away again, or the next tests would see it."""
    served_app.state.container = container
    routes = list(served_app.router.routes)
    yield served_app
    assert served_app.router.routes == routes, "the test left a change in the shared app's routes"


@pytest.fixture(autouse=True)
def _no_stray_database_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own REPATRIA_* variables must not leak into tests.
    for name in list(os.environ):
        if name.startswith("REPATRIA_"):
            monkeypatch.delenv(name)
