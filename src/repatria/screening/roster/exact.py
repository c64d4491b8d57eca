"""The exact path: one raw document at a time through `parse_document`, as `repatria assess`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from repatria.i18n import N_
from repatria.law.document import AssessmentDocument, load_json, parse_document
from repatria.law.errors import InvalidDocument
from repatria.screening.documents import document_row
from repatria.screening.fields import FIELDS, GROUPS, Kind
from repatria.screening.roster.convert import Fill

MAX_PROBLEMS = 20
_INT = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Problem:
    """Why one roster row cannot be screened: where it is, which field, and why."""

    row: int
    line: int | None  # 1-based line of the file, where the format has lines
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line} (row {self.row})" if self.line is not None else f"row {self.row}"
        return f"{where}: {self.field}: {self.reason}"


class RosterError(Exception):
    """A roster that cannot be screened: its first problems, in row order."""

    def __init__(self, problems: list[Problem], more: bool = False) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
        self.more = more


def _filled(raw: dict[str, Any], fill: Fill) -> tuple[dict[str, Any], bool]:
    """The document with the command line's values where it lacks them, and whether it is to
    be screened against every authority in force (then placeholders satisfy the parser)."""
    document = dict(raw)
    every = False
    if document.get("authority") is None:
        if fill.every_authority:
            every, document["authority"] = True, "all"
        elif fill.authority is not None:
            document["authority"] = fill.authority
    for key, value in (("from", fill.from_state), ("to", fill.to_state), ("as_of", fill.as_of)):
        if document.get(key) is None and value is not None:
            document[key] = value
    if every and document.get("to") is None and document.get("from") is not None:
        document["to"] = document["from"]  # a placeholder: `to` comes from the nationalities
    return document, every


def parse_row(raw: object, fill: Fill) -> tuple[AssessmentDocument, bool]:
    """Parse one raw document as `repatria assess` does (InvalidDocument names the field)."""
    if not isinstance(raw, dict):
        raise InvalidDocument("document", N_("must be a JSON object"))
    document, every = _filled(raw, fill)
    return parse_document(document), every


def exact_rows(
    items: Iterable[tuple[int, int | None, object]], fill: Fill
) -> tuple[list[dict[str, Any]], list[int], list[Problem], bool]:
    """Typed rows for the raw documents that parse, with their row numbers; the problems of
    the others (at most MAX_PROBLEMS, and whether there were more)."""
    rows, numbers, problems = [], [], []
    for row, line, raw in items:
        if isinstance(raw, Problem):
            problems.append(raw)
        else:
            try:
                document, every = parse_row(raw, fill)
            except InvalidDocument as exc:
                problems.append(Problem(row, line, exc.field, exc.reason))
            else:
                typed = document_row(document)
                if every:
                    typed["authority"], typed["to"] = None, None
                rows.append(typed)
                numbers.append(row)
        if len(problems) > MAX_PROBLEMS:
            return rows, numbers, problems[:MAX_PROBLEMS], True
    return rows, numbers, problems, False


def json_items(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, int | None, object]]:
    """(row, line, raw document or Problem) for JSON Lines; blank lines are skipped."""
    for row, text in lines:
        if not text.strip():
            continue
        try:
            yield row, row + 1, load_json(text)
        except InvalidDocument as exc:
            yield row, row + 1, Problem(row, row + 1, exc.field, exc.reason)


def _scalar(kind: Kind, text: str) -> object:
    """A text cell as the JSON value it stands for, where it has that form (else the text,
    which the parser then refuses with its own reason)."""
    if kind is Kind.BOOL and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind is Kind.INT and _INT.fullmatch(text):
        return int(text)
    if kind is Kind.NUMBER and _NUMBER.fullmatch(text):
        return int(text) if _INT.fullmatch(text) else float(text)
    if kind is Kind.COUNTRIES:
        return [part.strip() for part in text.split(";")] if text else []
    return text


def _entries(row: int, line: int | None, group: str, cells: dict[str, Any]) -> object:
    given = {member: value for member, value in cells.items() if value is not None}
    if not given:
        return None
    split = {
        m: (v if isinstance(v, list) else [p.strip() for p in str(v).split(";")] if v else [])
        for m, v in given.items()
    }
    counts = {len(parts) for parts in split.values()}
    if len(counts) > 1:
        reason = f"the {group}.* columns list different numbers of entries"
        return Problem(row, line, group, reason)
    entries: list[dict[str, object]] = [{} for _ in range(counts.pop())]
    for member, parts in split.items():
        listed = GROUPS[group][member] is Kind.COUNTRIES  # `+`-separated within its entry
        for entry, part in zip(entries, parts, strict=True):
            if part not in ("", None):
                entry[member] = [p.strip() for p in str(part).split("+")] if listed else part
    return entries


def cell_document(row: int, line: int | None, cells: dict[str, Any]) -> object:
    """A raw document (or a Problem) from one row of dotted CSV or Parquet cells."""
    document: dict[str, Any] = {}
    for name, kind in FIELDS.items():
        value = cells.get(name)
        if value is None:
            continue
        value = _scalar(kind, value) if isinstance(value, str) else value
        *parents, leaf = name.split(".")
        target = document
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    for group, members in GROUPS.items():
        entries = _entries(row, line, group, {m: cells.get(f"{group}.{m}") for m in members})
        if isinstance(entries, Problem):
            return entries
        if entries is not None:
            document[group] = entries
    return document
