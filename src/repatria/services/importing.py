"""Importing people from a CSV roster: validate every row first, then write all or nothing."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from repatria.domain.access import Action, require
from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
from repatria.services import accounts, people
from repatria.services.commands import RecordPerson
from repatria.services.unit_of_work import UnitOfWork

PERSON_COLUMNS = ("family_name", "given_names", "birth_date", "held_by_state")
LIST_COLUMNS = ("citizenships", "identifiers")
SENTENCE_COLUMNS = (
    "offense",
    "offense_category",
    "jurisdiction",
    "start_date",
    "length_days",
    "credit_days",
)
COLUMNS = PERSON_COLUMNS + LIST_COLUMNS + tuple(f"sentence.{c}" for c in SENTENCE_COLUMNS)


@dataclass(frozen=True)
class RowProblem:
    """Why one line of the file cannot be imported."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


def principal_of_username(uow: UnitOfWork, username: str) -> Principal:
    """The principal of the named active user (for CLI commands run on someone's behalf)."""
    user = uow.accounts.user_by_name(username)
    if user is None or not user.active:
        raise InvalidInput("--as", f"no active user {username!r}")
    return accounts.principal_of(user)


def principal_for(uow: UnitOfWork, username: str) -> Principal:
    """The principal of the named user, who must be allowed to record people."""
    principal = principal_of_username(uow, username)
    require(principal, Action.WRITE_PEOPLE)
    return principal


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def row_to_document(row: dict[str, str]) -> dict[str, Any]:
    """The RecordPerson document a CSV row stands for (empty cells are absent facts)."""
    document: dict[str, Any] = {k: row[k] for k in PERSON_COLUMNS if row.get(k)}
    document["citizenships"] = [{"country": c} for c in _split(row.get("citizenships", ""))]
    identifiers = []
    for part in _split(row.get("identifiers", "")):
        scheme, _, value = part.partition(":")
        identifiers.append({"scheme": scheme, "value": value})
    document["identifiers"] = identifiers
    sentence = {c: row[f"sentence.{c}"] for c in SENTENCE_COLUMNS if row.get(f"sentence.{c}")}
    if sentence:
        document["sentences"] = [sentence]
    return document


def _field_of(location: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in location]
    if parts[:1] == ["sentences"] and len(parts) > 2:
        return "sentence." + ".".join(parts[2:])
    if parts[:1] in (["citizenships"], ["identifiers"]):
        return parts[0]
    return ".".join(parts) or "row"


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        unknown = [c for c in reader.fieldnames or [] if c not in COLUMNS]
        if unknown:
            raise InvalidInput(
                "header", f"unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}"
            )
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def validate_csv(path: Path, principal: Principal) -> tuple[list[RecordPerson], list[RowProblem]]:
    """Check every row; returns the commands, or the problems of every bad row."""
    commands: list[RecordPerson] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        for line, row in _rows(path):
            try:
                command = RecordPerson.model_validate(row_to_document(row))
            except ValidationError as exc:
                problems.extend(
                    RowProblem(line, _field_of(tuple(e["loc"])), e["msg"]) for e in exc.errors()
                )
                continue
            if command.held_by_state != principal.state:
                reason = f"must be {principal.state}, the state you import for"
                problems.append(RowProblem(line, "held_by_state", reason))
            for identifier in command.identifiers:
                key = (identifier.scheme, identifier.value)
                if key in seen:
                    reason = f"{key[0]}:{key[1]} also appears on line {seen[key]}"
                    problems.append(RowProblem(line, "identifiers", reason))
                seen.setdefault(key, line)
            commands.append(command)
    except UnicodeDecodeError as exc:
        problems.append(RowProblem(0, "file", f"not UTF-8 text ({exc.reason})"))
    return commands, problems


def existing_identifiers(uow: UnitOfWork, commands: list[RecordPerson]) -> set[tuple[str, str]]:
    """Which of the commands' identifiers the database already holds."""
    return uow.people.identifiers_held(
        {(i.scheme, i.value) for c in commands for i in c.identifiers}
    )


def write(
    uow: UnitOfWork,
    principal: Principal,
    commands: list[RecordPerson],
    on_each: Callable[[], None],
) -> None:
    """Record every person in the caller's transaction; the caller commits once at the end."""
    for command in commands:
        people.record(uow, principal, command)
        on_each()
