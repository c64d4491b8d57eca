"""Storage errors that mean "someone else changed it first", as the domain's Conflict.

Translated here, once, for every caller: the API answers Conflict with 409, the web with its
409 page and the CLI with a message and exit status 1. Two kinds arise:
- a row changed since it was read: the ORM's version check (`version_id_col`) finds no row at
  the version it read and raises StaleDataError from the flush;
- a unique key already taken (two first attempts under one Idempotency-Key, two writers
  adding the same thing): the driver's IntegrityError, from any statement.
And one that means "someone else is changing it now": a row another transaction held past
PostgreSQL's lock_timeout (adapters/db/engine.py) comes out as the domain's StorageBusy (the
API answers 503 with Retry-After).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from repatria.domain.errors import Conflict, StorageBusy
from repatria.i18n import N_

CHANGED_MEANWHILE = N_(
    "someone else changed this record at the same time: nothing was written; reload and retry"
)
ALREADY_STORED = N_(
    "the change conflicts with what is stored (or a request with the same Idempotency-Key "
    "is being processed): nothing was written; reload and retry"
)

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's lock_timeout ran out


class ConflictsAsDomainErrors(Session):
    """A session whose flush raises Conflict for a row changed since it was read."""

    def flush(self, objects: Any = None) -> None:
        """Flush as Session does; a stale version comes out as Conflict."""
        try:
            super().flush(objects)
        except StaleDataError as exc:
            raise Conflict(CHANGED_MEANWHILE) from exc


def translate_integrity_errors(engine: Engine) -> None:
    """Make the engine raise Conflict where the driver reports an integrity error, and
    StorageBusy where a lock was not granted in time."""
    event.listen(engine, "handle_error", _as_conflict, retval=True)


def _as_conflict(context: ExceptionContext) -> BaseException | None:
    if isinstance(context.sqlalchemy_exception, IntegrityError):
        return Conflict(ALREADY_STORED)
    if isinstance(context.sqlalchemy_exception, OperationalError) and (
        getattr(context.original_exception, "sqlstate", None) == LOCK_NOT_AVAILABLE
    ):
        return StorageBusy()
    return None
