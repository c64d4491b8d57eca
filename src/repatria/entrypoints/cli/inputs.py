"""How commands get their inputs: the acting user, and JSON documents with options."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from repatria.bootstrap import build
from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
from repatria.services import clock, importing
from repatria.services.unit_of_work import UnitOfWork

AsUser = Annotated[str, typer.Option("--as", help="The user taking the step (a username).")]
Day = Annotated[str | None, typer.Option(help="Effective date (YYYY-MM-DD); default today.")]
Flag = bool | None  # a --yes/--no pair; None when neither was given (the fact stays unknown)


@contextmanager
def acting_as(username: str) -> Iterator[tuple[UnitOfWork, Principal]]:
    """One unit of work on a migrated database, for the named user; the caller commits."""
    container = build()
    container.ensure_migrated()
    with container.uow() as uow:
        yield uow, importing.principal_of_username(uow, username)


def read_document(path: Path | None, field: str) -> dict[str, Any]:
    """The JSON object in a file (or stdin for -); {} without a file. Bad JSON names `field`."""
    if path is None:
        return {}
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(field, f"cannot read {path}: {exc.strerror}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(field, f"{path} is not JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(document, dict):
        raise InvalidInput(field, f"{path} must hold one JSON object")
    return document


def merged(document: dict[str, Any], **options: object) -> dict[str, Any]:
    """The document with every option that was given laid over it (None means not given)."""
    return {**document, **{name: value for name, value in options.items() if value is not None}}


def parse_day(value: str | None, field: str) -> date:
    """A YYYY-MM-DD option as a date (today when not given); a bad one names `field`."""
    if not value:
        return clock.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def choices(values: Iterable[object]) -> str:
    """The allowed values of an enumeration, for a --help text."""
    return ", ".join(str(v) for v in values)
