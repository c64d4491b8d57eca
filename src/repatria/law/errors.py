"""Errors of the legal engine: an invalid assessment document, or invalid law data."""

from __future__ import annotations


class InvalidDocument(Exception):
    """An assessment document that cannot be assessed; names the first bad field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class LawDataError(Exception):
    """Law data that fails validation; names the file, the line where known, and what is
    wrong in it."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.reason = reason
        self.line = line
