"""The composition root: wires settings, the database adapter and the services together."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from repatria.adapters.db import migrate
from repatria.adapters.db.conflicts import ConflictsAsDomainErrors, translate_integrity_errors
from repatria.adapters.db.engine import make_engine
from repatria.adapters.db.mapping import start_mappers
from repatria.adapters.db.migrate import DatabaseNotMigrated
from repatria.adapters.db.unit_of_work import SqlUnitOfWork
from repatria.law.catalog import use_local_law
from repatria.services.unit_of_work import UnitOfWork, WriterGate
from repatria.settings import Settings, get_settings

# Every entrypoint imports the composition root: from here on, the law any of them loads is
# the shipped law with this installation's amendments (REPATRIA_LAW_DIR), read when the law
# is loaded, so tests that change the settings get the law they name.
use_local_law(lambda: get_settings().law_dir)


@dataclass
class Container:
    """Everything an entrypoint needs: settings, the engine and a unit-of-work factory."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    read_session_factory: sessionmaker[Session] | None = None
    read_engine: Engine | None = None
    # The server's writing requests, one a process (docs/decisions/0002-*.md).
    writers: WriterGate = field(default_factory=lambda: WriterGate(1))

    def uow(self, *, read_only: bool = False, gated: bool = False) -> UnitOfWork:
        """A fresh unit of work for one use case; `read_only` for one that only reads (on
        SQLite it then does not take the write lock, so reads do not queue behind writes);
        `gated` for a server's command, which then waits for a turn from `writers` when it
        first touches the database."""
        if read_only and self.read_session_factory is not None:
            return SqlUnitOfWork(self.read_session_factory, self.read_engine)
        if not gated:
            return SqlUnitOfWork(self.session_factory)
        # On SQLite a command's transaction holds the one write lock of every process from
        # its first statement: what it can work out first, from a snapshot, it does so
        # (UnitOfWork.reading_ahead). PostgreSQL's writers lock only the log head, at the end.
        sqlite = self.engine.dialect.name == "sqlite"
        ahead = self._reader if sqlite and self.read_session_factory is not None else None
        return SqlUnitOfWork(self.session_factory, gate=self.writers, ahead=ahead)

    def ensure_migrated(self) -> None:
        """Refuse (DatabaseNotMigrated) a database not at the newest migration."""
        migrate.ensure_migrated(self.engine)

    def upgrade(self, revision: str = "head") -> None:
        """Migrate the database up to the revision."""
        migrate.upgrade(self.engine, revision)

    def downgrade(self, revision: str) -> None:
        """Migrate the database down to the revision."""
        migrate.downgrade(self.engine, revision)

    def revision(self, *, reading: bool = False) -> str | None:
        """The database's migration (None when empty); `reading` asks the readers' pool."""
        return migrate.current_revision((self.read_engine if reading else None) or self.engine)

    def _reader(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.read_session_factory or self.session_factory, self.read_engine)

    def dispose(self) -> None:
        """Close every pooled connection (at shutdown)."""
        for engine in (self.engine, self.read_engine):
            if engine is not None:
                engine.dispose()


def head_revision() -> str:
    """The newest migration this version of Repatria ships."""
    return migrate.head_revision()


__all__ = ["Container", "DatabaseNotMigrated", "build", "head_revision"]


def build(settings: Settings | None = None) -> Container:
    """Build the container for these settings (the environment's by default)."""
    settings = settings or get_settings()
    start_mappers()
    engine = make_engine(settings.database_url)
    # Storage conflicts come out as the domain's Conflict (adapters/db/conflicts.py).
    translate_integrity_errors(engine)
    factory: sessionmaker[Session] = sessionmaker(
        bind=engine, expire_on_commit=False, class_=ConflictsAsDomainErrors
    )
    # Reads have their own pool, which never makes a reader wait (see make_engine).
    read_engine = make_engine(settings.database_url, reading=True)
    reader = sessionmaker(bind=read_engine, expire_on_commit=False)
    event.listen(reader, "before_flush", _refuse_writes)
    return Container(settings, engine, factory, reader, read_engine)


def _refuse_writes(session: Session, *_: object) -> None:
    # A reading unit of work runs in autocommit on PostgreSQL: a change made in it would not
    # wait for commit() nor roll back with the request, so it may make none.
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a reading unit of work cannot write; use container.uow()")
