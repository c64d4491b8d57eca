"""CLI fixtures: run `repatria` in-process against the test database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from repatria.entrypoints.cli.main import app


@pytest.fixture
def repatria(settings: object) -> Callable[..., Result]:
    """Run the CLI with arguments; stdout and stderr are kept apart."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    return run
