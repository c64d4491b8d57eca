"""The API document tells the truth: Schemathesis, every check, finds nothing.

The run `schemathesis run --checks all` makes against a served demo with a case officer's
token, in process against the application on the demo data (SQLite), bounded and seeded: no
answer is a server error; every answer has a documented status, content type, headers and
body; a request the document allows is accepted, one it forbids is refused; every operation,
signed in, gets past authentication at least once. Settings shared with the command line,
such as the few operations whose bodies have rules JSON Schema cannot state, come from
schemathesis.toml.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from repatria.bootstrap import Container
from tests.entrypoints.api.conftest import issue_token

CONFIG = Path(__file__).parents[3] / "schemathesis.toml"
SEED = 18
EXAMPLES = 2  # generated requests per operation and phase; the coverage phase adds its own


def _config() -> SchemathesisConfig:
    config = SchemathesisConfig.from_path(CONFIG)
    config.update(seed=SEED, max_failures=None)
    project = config.projects.override
    project.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
    project.checks.update(included_check_names=["all"])
    return config


def _failures(event: events.ScenarioFinished) -> list[str]:
    found = []
    for case_id, checks in event.recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            interaction = event.recorder.interactions.get(case_id)
            request = interaction.request if interaction else None
            response = interaction.response if interaction else None
            found.append(
                f"{event.recorder.label} [{check.name}] {check.failure_info.failure.title}: "
                f"{request.method if request else ''} {request.uri if request else ''} -> "
                f"{response.status_code if response else '-'} "
                f"{(response.content or b'')[:200] if response else b''!r}"
            )
    return found


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_check_of_schemathesis_passes_for_a_case_officer(
    app: Any, container: Container
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=_config())

    # A token issued again whenever a request meets 401: the run revokes its own tokens
    # (DELETE /tokens/{id}, POST /auth/logout-everywhere) like any client may.
    @schema.auth(refresh_interval=600)
    class CaseOfficer:
        def get(self, case: Any, context: Any) -> str:
            return issue_token(container, "us-case-officer", timedelta(hours=1))

        def set(self, case: Any, token: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}

    failures: list[str] = []
    errors: list[str] = []
    tested = 0
    statuses: dict[str, set[int]] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            failures += _failures(event)
            tested += len(event.recorder.cases)
            seen = statuses.setdefault(event.recorder.label, set())
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    seen.add(interaction.response.status_code)
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(str(getattr(event, "info", None) or getattr(event, "exception", "")))
    assert not errors, "\n".join(errors)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(sorted(set(failures)))
    assert tested > 1000, tested  # every operation was exercised, not skipped
    operations = [result.ok().label for result in schema.get_all_operations()]
    assert len(operations) >= 12
    # Signed in, every operation got past authentication at least once.
    assert not [label for label in operations if not statuses.get(label, set()) - {401}]
