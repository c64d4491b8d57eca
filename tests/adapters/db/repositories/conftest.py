"""What the repository contract tests share: units of work on the test's database, or in
memory (tests/fakes.py with the exchange's repositories), for the tests parametrized over
`["sqlite", "postgresql", "memory"]`."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from repatria.bootstrap import Container
from repatria.services.unit_of_work import UnitOfWork
from tests.services.exchange.fakes import ExchangeStore, ExchangeUnitOfWork

Units = Callable[[], UnitOfWork]


@pytest.fixture
def units(backend: str, request: pytest.FixtureRequest) -> Units:
    """Units of work on the test's database, or in memory, sharing what they commit."""
    if backend == "memory":
        store = ExchangeStore()
        return lambda: ExchangeUnitOfWork(store)
    container: Container = request.getfixturevalue("container")
    return lambda: container.uow()
