"""A unit of work kept in memory, for fast use-case tests of cases and people without a database.

`FakeUnitOfWork` implements the services' UnitOfWork protocol with in-memory repositories for
the concepts a case's use cases read and change (`uow.cases`, `uow.people` and the approved
amendments the law in force reads); any other repository raises NotImplementedError naming
it, so a test that wanders past what the fake covers says so instead of passing silently.

It keeps the database's semantics that the use cases rely on: a unit of work sees what was
committed when it began and its own changes; leaving it without commit leaves nothing behind;
its events reach the record at commit (so four eyes reads only committed preparers, as it does
from the events table); and a change to a case or person read at a version someone else has
since committed is refused with the domain's Conflict, as the versioned UPDATE refuses it.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, NoReturn, Self, cast

from repatria.domain.amendments import LawAmendment
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case
from repatria.domain.errors import Conflict
from repatria.domain.events import Event
from repatria.domain.people import Person
from repatria.domain.records import snapshot
from repatria.domain.workflow import ConsentVerification, Decision, FearClaim, Notice
from repatria.services.ports import (
    accounts,
    amendments,
    audit,
    cases,
    contracts,
    facilities,
    idempotency,
    messages,
    movements,
    peers,
    people,
    views,
)
from repatria.services.unit_of_work import RecordsEvents, UnitOfWork
from tests.fake_repositories import FakeAmendments, FakeCases, FakePeople, Missing

__all__ = ["FakeAmendments", "FakeCases", "FakePeople", "FakeStore", "FakeUnitOfWork"]


@dataclass
class FakeStore:
    """What the committed units of work left: the fake's database."""

    cases: dict[int, Case] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    decisions: dict[int, Decision] = field(default_factory=dict)
    consents: dict[int, ConsentVerification] = field(default_factory=dict)
    notices: dict[int, Notice] = field(default_factory=dict)
    fear_claims: dict[int, FearClaim] = field(default_factory=dict)
    assessments: dict[int, Assessment] = field(default_factory=dict)
    amendments: list[LawAmendment] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


class FakeUnitOfWork(RecordsEvents):
    """The UnitOfWork protocol in memory (see the module's docstring for what it covers)."""

    def __init__(self, store: FakeStore | None = None) -> None:
        super().__init__()
        self.store = store if store is not None else FakeStore()
        self.committed = False
        self._work: FakeStore | None = None
        self._read_at: dict[tuple[str, int], int] = {}  # the version each object was read at
        self._stored: dict[tuple[str, int], Any] = {}  # its snapshot when last stored
        self._written: set[tuple[str, int]] = set()  # what this unit added or changed
        self.cases: cases.Cases = FakeCases(self)
        self.people: people.People = FakePeople(self)
        self.amendments: amendments.Amendments = cast(Any, FakeAmendments(self))
        self.accounts: accounts.Accounts = _missing("accounts")
        self.idempotency: idempotency.Idempotency = _missing("idempotency")
        self.movements: movements.Movements = _missing("movements")
        self.facilities: facilities.Facilities = _missing("facilities")
        self.contracts: contracts.Contracts = _missing("contracts")
        self.peers: peers.Peers = _missing("peers")
        self.messages: messages.Messages = _missing("messages")
        self.audit: audit.AuditLog = _missing("audit")
        self.views: views.Views = _missing("views")

    # -- the protocol ----------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.close()
        self.committed = False
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def commit(self) -> None:
        """Make the changes durable, refusing any made to a case or person someone else
        changed since it was read; the events join the record."""
        work = self.work
        try:
            for kind, key in list(self._read_at):
                self.changed(kind, getattr(work, kind)[key])  # what was changed, not stored
            for kind, key in self._written:
                committed = getattr(self.store, kind).get(key)
                stale = committed is not None and key in self._versioned(kind)
                if stale and committed.version != self._read_at[(kind, key)]:
                    raise Conflict(f"{kind[:-1]} {key} was changed by someone else meanwhile")
        except Conflict:
            self.close()
            raise
        for kind, key in self._written:
            getattr(self.store, kind)[key] = copy.deepcopy(getattr(work, kind)[key])
        for event in self._recorded:
            event.id = next(self.store.ids)
            self.store.events.append(copy.deepcopy(event))
        self.close()
        self.committed = True

    def close(self) -> None:
        """End the unit (its changes forgotten unless committed)."""
        self._recorded = []
        self._work = None
        self._read_at = {}
        self._stored = {}
        self._written = set()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the unit that an exception leaving it undoes alone, its events included."""
        saved = copy.deepcopy((self.work, self._read_at, self._stored, self._written))
        mark = len(self._recorded)
        try:
            yield
        except BaseException:
            self._work, self._read_at, self._stored, self._written = saved
            del self._recorded[mark:]
            raise

    def reading_ahead(self) -> UnitOfWork | None:
        """None: nothing in memory locks another writer out."""
        return None

    @property
    def session(self) -> NoReturn:
        """The fake has no ORM session: the services use the repositories."""
        raise NotImplementedError("FakeUnitOfWork has no session: use the repositories")

    def connection(self) -> NoReturn:
        """The fake has no connection: the services use the repositories."""
        raise NotImplementedError("FakeUnitOfWork has no connection: use the repositories")

    # -- for the repositories ----------------------------------------------------------------

    @property
    def work(self) -> FakeStore:
        """What this unit sees: the committed store as it began, and its own changes."""
        if self._work is None:
            self._begin()
        assert self._work is not None
        return self._work

    def _begin(self) -> None:
        self._work = copy.copy(self.store)
        for name in ("cases", "people", "decisions", "consents", "notices", "fear_claims"):
            setattr(self._work, name, copy.deepcopy(getattr(self.store, name)))
        self._work.assessments = dict(self.store.assessments)
        self._work.amendments = list(self.store.amendments)

    def read(self, kind: str, found: Any) -> Any:
        """Remember the version a case or person was read at, and how it looked."""
        if found is not None and (kind, found.id) not in self._read_at:
            self._read_at[(kind, found.id)] = found.version
            self._stored[(kind, found.id)] = snapshot(found)
        return found

    def changed(self, kind: str, obj: Any) -> None:
        """Store a change to a case or person as its versioned UPDATE: one more version if
        anything changed since it was last stored; Conflict if it was read at a version
        someone else has since committed over."""
        key = (kind, obj.id)
        self.read(kind, obj)
        if snapshot(obj) == self._stored[key]:
            return
        committed = getattr(self.store, kind).get(obj.id)
        if committed is not None and committed.version != self._read_at[key]:
            raise Conflict(f"{kind[:-1]} {obj.id} was changed by someone else meanwhile")
        obj.version += 1
        self._stored[key] = snapshot(obj)
        self._written.add(key)

    def wrote(self, kind: str, key: int) -> None:
        """Note a record this unit added or changed, to be stored at its commit."""
        self._written.add((kind, key))

    def _versioned(self, kind: str) -> set[int]:
        return {key for k, key in self._read_at if k == kind}

    def new_id(self) -> int:
        """A fresh id for a new record of any kind."""
        return next(self.store.ids)


def _missing(name: str) -> Any:
    return Missing(name)
