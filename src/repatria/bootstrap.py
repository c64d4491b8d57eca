"""The composition root: wires settings, the database adapter and the services together."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from repatria.adapters.db.engine import make_engine
from repatria.adapters.db.mapping import start_mappers
from repatria.services.unit_of_work import UnitOfWork
from repatria.settings import Settings, get_settings


@dataclass
class Container:
    """Everything an entrypoint needs: settings, the engine and a unit-of-work factory."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]

    def uow(self) -> UnitOfWork:
        """A fresh unit of work for one use case."""
        return UnitOfWork(self.session_factory)


def build(settings: Settings | None = None) -> Container:
    """Build the container for these settings (the environment's by default)."""
    settings = settings or get_settings()
    start_mappers()
    engine = make_engine(settings.database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    return Container(settings=settings, engine=engine, session_factory=factory)
