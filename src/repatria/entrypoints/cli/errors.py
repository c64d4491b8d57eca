"""Turns domain errors into CLI messages and exit codes, in this one place."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from repatria.bootstrap import DatabaseNotMigrated
from repatria.domain.errors import DomainError, InvalidInput, NotEligible

P = ParamSpec("P")
R = TypeVar("R")
stderr = Console(stderr=True)

# Exit status 2 is for input that is not valid (as for a usage error); 1 for refusals.
INVALID_INPUT = 2
REFUSED = 1


def fail(message: str, code: int = REFUSED) -> typer.Exit:
    """Print an error to stderr and return the Exit to raise."""
    stderr.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def cli_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so domain errors end it with a clear message and exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidInput as exc:
            raise fail(f"{exc.field}: {exc.reason}", INVALID_INPUT) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "input"
            raise fail(f"{field}: {first['msg']}", INVALID_INPUT) from None
        except NotEligible as exc:
            # The law's reasons, rule by rule, as the API's 409 gives them.
            for check in exc.checks:
                stderr.print(
                    f"  {check['rule']} ({check['ground']}, {check['outcome']}):"
                    f" {check['reason']} [{check['citation']}]",
                    highlight=False,
                    soft_wrap=True,
                )
            raise fail(str(exc)) from None
        except (DomainError, DatabaseNotMigrated) as exc:
            raise fail(str(exc)) from None

    return wrapper
