"""CSV that is safe to open in a spreadsheet: every CSV Repatria writes goes through here.

A cell that starts with =, +, -, @, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (`=HYPERLINK(…)` as a person's name). Such a text cell gets a
leading single quote, as OWASP advises ("CSV Injection"): the spreadsheet shows the text, and
the quote tells a reader of the file that it was added. Numbers are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same rule as a regular expression, for writers that work on whole columns (Polars).
FORMULA_START_PATTERN = "^[=+\\-@\t\r]"


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should read it: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    handle: TextIO,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    *,
    lineterminator: str = "\r\n",
    titles: Mapping[str, str] | None = None,
) -> None:
    """Write a header line and the rows, every cell made safe by `safe_cell`. The header
    names the columns as `columns` does (the stable machine header), or by `titles` (the
    reader's words) where given."""
    writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator=lineterminator)
    if titles is None:
        writer.writeheader()
    else:
        writer.writerow({name: safe_cell(titles.get(name, name)) for name in columns})
    writer.writerows({name: safe_cell(value) for name, value in row.items()} for row in rows)


def csv_text(
    columns: Sequence[str],
    rows: Iterable[Mapping[str, object]],
    *,
    lineterminator: str = "\r\n",
    titles: Mapping[str, str] | None = None,
) -> str:
    """The CSV of `write_csv` as a string (for a response body)."""
    buffer = io.StringIO()
    write_csv(buffer, columns, rows, lineterminator=lineterminator, titles=titles)
    return buffer.getvalue()
