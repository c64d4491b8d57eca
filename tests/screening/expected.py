"""What the per-case engine says about a roster, row by row, in the order `screen` gives."""

from __future__ import annotations

from datetime import date
from typing import Any

from repatria.law.catalog import authorities_in_force
from repatria.law.document import parse_document
from repatria.law.engine import assess

Row = tuple[int, str | None, str | None, bool, str]


def _verdict(row: int, raw: dict[str, Any], authority: str, to_state: str) -> Row:
    verdict = assess(parse_document({**raw, "authority": authority, "to": to_state}))
    return row, authority, to_state, verdict.allowed, ";".join(verdict.grounds)


def expected_rows(documents: list[dict[str, Any]]) -> list[Row]:
    """`assess` on every document; a document without an authority under every authority in
    force between `from` and each state of nationality (as `screen --authority all`)."""
    rows: list[Row] = []
    for row, raw in enumerate(documents):
        if "authority" in raw:
            rows.append(_verdict(row, raw, raw["authority"], raw["to"]))
            continue
        citizenships = raw.get("person", {}).get("citizenships") or []
        destinations = [state for state in citizenships if state != raw["from"]]
        if not destinations:
            rows.append((row, None, None, False, "NATIONALITY"))
        for to_state in destinations:
            found = authorities_in_force(raw["from"], to_state, date.fromisoformat(raw["as_of"]))
            if not found:
                rows.append((row, None, to_state, False, "AUTHORITY"))
            rows += [_verdict(row, raw, authority, to_state) for authority in found]
    return rows
