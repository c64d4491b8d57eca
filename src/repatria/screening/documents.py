"""Parsed assessment documents as typed roster rows (the exact, one-document-at-a-time path)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from repatria.law.document import AssessmentDocument
from repatria.screening.fields import DEPARTURE_DAY, FIELDS, GROUPS, typed_schema


def _at(tree: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if tree is None:
            return None
        tree = tree.get(part)
    return tree


def document_row(document: AssessmentDocument) -> dict[str, Any]:
    """One typed roster row holding what a document says (times in UTC, lists as lists)."""
    tree = document.model_dump(by_alias=True)
    row = {name: _at(tree, name) for name in FIELDS}
    for name in ("notice.served_at", "departure_at"):
        if isinstance(row[name], datetime):
            row[name] = row[name].astimezone(UTC)
    for group, members in GROUPS.items():
        entries = tree.get(group)
        row[group] = None if entries is None else [{m: e[m] for m in members} for e in entries]
    # Holds are checked on the calendar day of departure where it takes place (its own offset).
    row[DEPARTURE_DAY] = document.departure_at.date() if document.departure_at else None
    return row


def frame_from_rows(rows: list[dict[str, Any]], row_numbers: list[int]) -> pl.DataFrame:
    """A typed roster from row dicts, numbered by their input rows."""
    schema = {"row": pl.Int64(), **typed_schema()}
    numbered = [{"row": number, **row} for number, row in zip(row_numbers, rows, strict=True)]
    return pl.DataFrame(numbered, schema=schema)


def frame_from_documents(documents: list[AssessmentDocument]) -> pl.DataFrame:
    """A typed roster of parsed documents, numbered 0, 1, 2, ..."""
    return frame_from_rows([document_row(d) for d in documents], list(range(len(documents))))
