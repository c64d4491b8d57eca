"""Schemathesis: generated requests for every operation of the OpenAPI schema, signed in,
must never meet a server error.

Operations are driven through schemathesis' Hypothesis strategies directly (its pytest
plugin does not yet run under pytest 9)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from repatria.bootstrap import Container
from tests.entrypoints.api.conftest import issue_token


def _fuzz(operation: Any, headers: dict[str, str]) -> set[int]:
    """Run generated cases of one operation; returns the statuses seen."""
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: Any) -> None:
        response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
        statuses.add(response.status_code)

    run()
    return statuses


def test_no_operation_answers_with_a_server_error(app: Any, container: Container) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        # A fresh token for each operation: fuzzing DELETE /tokens/{id} may revoke the last one.
        token = issue_token(container, "us-case-officer", timedelta(days=1))
        statuses = _fuzz(operation, {"Authorization": f"Bearer {token}"})
        # Signed in, every operation must get past authentication at least once.
        assert statuses - {401}, f"{operation.label} never got past authentication"
