"""The operator's commands: migrations, demo data, users, tokens, and serve's refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from repatria.adapters.db import migrate
from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.entrypoints.cli.main import app
from repatria.services.demo import BATCH_DATE
from repatria.settings import get_settings

# The database copied from the run's demo template: what `demo load` makes (the first two tests
# run it themselves), without loading it again for each test.
ON_THE_DEMO_DATA = pytest.mark.parametrize("database_content", ["demo"])


def _count(container: Container, table: object) -> int:
    with container.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def test_demo_load_twice_adds_nothing_the_second_time(
    repatria: Callable[..., Result], container: Container
) -> None:
    first = repatria("demo", "load")
    assert first.exit_code == 0, first.output
    counts = [_count(container, table) for table in (t.people, t.users, t.cases, t.events)]
    second = repatria("demo", "load")
    assert second.exit_code == 0 and "already present" in second.stdout
    assert [_count(container, table) for table in (t.people, t.users, t.cases, t.events)] == counts
    assert "us-case-officer" in second.stdout


def test_the_demo_batch_has_13_mexicans_with_75_years_left_on_11_april_2025(
    repatria: Callable[..., Result], container: Container
) -> None:
    repatria("demo", "load")
    query = (
        select(t.sentences.c.start_date, t.sentences.c.length_days)
        .join(t.cases, t.cases.c.person_id == t.sentences.c.person_id)
        .join(t.manifest_entries, t.manifest_entries.c.case_id == t.cases.c.id)
        .join(t.movements, t.movements.c.id == t.manifest_entries.c.movement_id)
        .where(
            t.movements.c.authority == "us-mx-1976",
            t.movements.c.sequence == 184,
            t.movements.c.state == "closed",
            t.cases.c.state == "completed",
        )
    )
    with container.engine.connect() as connection:
        rows = connection.execute(query).all()
    assert len(rows) == 13
    days_left = sum(
        (date.fromordinal(start.toordinal() + length) - BATCH_DATE).days for start, length in rows
    )
    assert round(days_left / 365.25) == 75


@ON_THE_DEMO_DATA
def test_users_and_tokens_are_created_from_the_command_line(
    repatria: Callable[..., Result], container: Container
) -> None:
    created = repatria(
        "users",
        "create",
        "gt-officer",
        "--org",
        "us-iptu",
        "--role",
        "case_officer",
        input="long-enough-pw\nlong-enough-pw\n",
    )
    assert created.exit_code == 0, created.output
    token = repatria("tokens", "create", "gt-officer", "--days", "5", input="long-enough-pw\n")
    assert token.exit_code == 0, token.output
    assert token.stdout.strip().splitlines()[-1].startswith("rpt_")
    reader = repatria("tokens", "create", "gt-officer", "--read-only", input="long-enough-pw\n")
    assert reader.exit_code == 0 and "read-only token" in reader.stdout, reader.output


@ON_THE_DEMO_DATA
def test_the_operator_makes_no_token_without_the_users_password(
    repatria: Callable[..., Result], container: Container
) -> None:
    before = _count(container, t.credentials)
    token = repatria("tokens", "create", "mx-case-officer", input="not-the-password\n")
    assert token.exit_code == 1 and "wrong username or password" in token.stderr
    assert _count(container, t.credentials) == before


@ON_THE_DEMO_DATA
def test_the_operator_creates_organisations_and_resets_passwords_once(
    repatria: Callable[..., Result],
) -> None:
    created = repatria(
        "organisations", "create", "gt-sp", "--name", "Guatemala SP", "--state", "gt"
    )
    assert created.exit_code == 0, created.output
    assert "gt-sp" in repatria("organisations", "list").stdout
    reset = repatria("users", "reset-password", "mx-reviewer")
    assert reset.exit_code == 0, reset.output
    one_time = reset.stdout.strip().splitlines()[-1]
    refused = repatria("tokens", "create", "mx-reviewer", input=f"{one_time}\n")
    assert refused.exit_code == 1 and "new password" in refused.stderr
    changed = repatria(
        "users",
        "change-password",
        "mx-reviewer",
        input=f"{one_time}\nfresh-pass-77\nfresh-pass-77\n",
    )
    assert changed.exit_code == 0, changed.output
    assert repatria("tokens", "create", "mx-reviewer", input="fresh-pass-77\n").exit_code == 0


@ON_THE_DEMO_DATA
def test_a_common_password_is_refused(repatria: Callable[..., Result]) -> None:
    result = repatria(
        "users",
        "create",
        "x-user",
        "--org",
        "us-iptu",
        "--role",
        "finance",
        input="password123\npassword123\n",
    )
    assert result.exit_code == 2 and "too easy to guess" in result.stderr


def test_a_bad_role_is_a_usage_error(repatria: Callable[..., Result]) -> None:
    result = repatria(
        "users",
        "create",
        "x-user",
        "--org",
        "us-iptu",
        "--role",
        "king",
        input="long-enough-pw\nlong-enough-pw\n",
    )
    assert result.exit_code == 2 and "king" in result.output


@ON_THE_DEMO_DATA
def test_a_short_password_is_refused_naming_the_field(repatria: Callable[..., Result]) -> None:
    result = repatria(
        "users", "create", "x-user", "--org", "us-iptu", "--role", "auditor", input="short\nshort\n"
    )
    assert result.exit_code == 2 and "password" in result.stderr


@pytest.mark.storage  # migrations run on each database
def test_serve_refuses_an_unmigrated_database_and_says_what_to_run(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repatria.settings import get_settings

    monkeypatch.setenv("REPATRIA_DATABASE_URL", empty_database_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["serve", "--port", "8799"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "repatria db upgrade" in result.stderr


@pytest.mark.storage  # migrations run on each database
def test_db_upgrade_then_current_reports_the_head(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repatria.settings import get_settings

    monkeypatch.setenv("REPATRIA_DATABASE_URL", empty_database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    current = runner.invoke(app, ["db", "current"])
    get_settings.cache_clear()
    head = migrate.head_revision()
    assert f"current: {head}" in current.stdout and f"head:    {head}" in current.stdout


@pytest.fixture
def production(settings: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The same database, with the process configured for production."""
    monkeypatch.setenv("REPATRIA_ENV", "production")
    monkeypatch.setenv("REPATRIA_AUDIT_PUBLIC_KEY_FILE", str(tmp_path / "audit.pub"))
    # Production's cost of password hashing, which refuses the suite's cheap one.
    monkeypatch.delenv("REPATRIA_PASSWORD_HASH_TIME_COST")
    monkeypatch.delenv("REPATRIA_PASSWORD_HASH_MEMORY_KIB")
    get_settings.cache_clear()


def test_production_never_loads_the_demo_data(
    repatria: Callable[..., Result], production: None
) -> None:
    result = repatria("demo", "load")
    assert result.exit_code == 1 and "never loaded in production" in result.stderr


def test_production_refuses_to_serve_on_a_public_address_without_tls(
    repatria: Callable[..., Result], production: None
) -> None:
    result = repatria("serve", "--host", "0.0.0.0")  # noqa: S104 - the address being refused
    assert result.exit_code == 1 and "REPATRIA_TLS_CERT_FILE" in result.stderr
