"""Running Alembic migrations from code, and telling whether a database is up to date."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to this engine (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@functools.cache
def head_revision() -> str:
    """The newest migration shipped with this version of Repatria (read once: the health
    endpoint asks on every request, and parsing the migration scripts took ~15 ms)."""
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


_CURRENT = text("SELECT version_num FROM alembic_version")


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database.

    Read from Alembic's version table directly (the health endpoint asks on every request;
    Alembic's migration context costs a few milliseconds to set up). The migrations form
    one line, so the table holds at most one row."""
    with engine.connect() as connection:
        try:
            found = connection.execute(_CURRENT).scalars().all()
        except (OperationalError, ProgrammingError):  # no version table: never migrated
            return None
    if len(found) > 1:
        raise RuntimeError(f"the database is at several migration heads: {sorted(found)}")
    return found[0] if found else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to the revision."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to the revision ('base' empties it)."""
    command.downgrade(alembic_config(engine), revision)


class DatabaseNotMigrated(RuntimeError):
    """The database is not at the migration head this code expects."""


def ensure_migrated(engine: Engine) -> None:
    """Refuse to run on a database that is not at the head migration."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        where = engine.url.render_as_string(hide_password=True)
        found = current or "an empty, unmigrated database"
        raise DatabaseNotMigrated(
            f"the database {where} is at {found}, not at {head}: run `repatria db upgrade` first"
        )
