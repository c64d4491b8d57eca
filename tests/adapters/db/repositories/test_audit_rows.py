"""The record's rows in a database: an intact log has no row beside it and no column derived
otherwise (the memory log keeps neither, so these run on SQLite and PostgreSQL only)."""

from __future__ import annotations

import pytest

from tests.adapters.db.repositories.conftest import Units
from tests.adapters.db.repositories.test_audit import _record

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def test_an_intact_log_has_no_stray_row_and_no_column_derived_otherwise(units: Units) -> None:
    _record(units, 2)
    with units() as uow:
        assert uow.audit.first_stray_row() is None
        assert uow.audit.derivation_problem() is None
