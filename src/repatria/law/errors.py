"""Errors of the legal engine: an invalid assessment document, or invalid law data."""

from __future__ import annotations


class InvalidDocument(Exception):
    """An assessment document that cannot be assessed; names the first bad field.

    `reason` is a template marked for translation (N_) with its `params`, as the domain's
    InvalidInput takes them, so that the web and the API can say it in the reader's
    language; `.reason` is it filled in, in English."""

    def __init__(self, field: str, reason: str, /, **params: object) -> None:
        self.field = field
        self.template = reason
        self.params = params
        self.reason = reason % params if params else reason
        super().__init__(f"{field}: {self.reason}")


class LawDataError(Exception):
    """Law data that fails validation; names the file, the line where known, and what is
    wrong in it."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        where = f"{file}, line {line}" if line is not None else file
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.reason = reason
        self.line = line
