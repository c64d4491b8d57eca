"""The law as known on a day: each party entry and dated value may record the day this
installation learned of it (`known_from`); the law as known on an earlier day leaves it out."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from repatria.law.errors import LawDataError
from repatria.law.files import LawFile


def _known(entry: Any, day: date) -> bool:
    learned = entry.get("known_from") if isinstance(entry, dict) else None
    if isinstance(learned, str):
        try:
            learned = date.fromisoformat(learned)
        except ValueError:
            return True  # not a date: the schema refuses it, naming the line
    return not isinstance(learned, date) or learned <= day


def refuse_first_values_learned_later(files: Sequence[LawFile]) -> None:
    """LawDataError for a `known_from` on the first value of a parameter: the law as known
    before that day would have no value of it at all (a value learned late follows one known
    until then, which the law as known earlier keeps). An amendment (`amends:`) adds values
    after the shipped ones, so its first value is never a parameter's first."""
    for file in files:
        raw = file.raw
        if not isinstance(raw, dict) or "amends" in raw:
            continue
        parameters = raw.get("parameters")
        for name, parameter in (parameters if isinstance(parameters, dict) else {}).items():
            values = parameter.get("values") if isinstance(parameter, dict) else None
            first = values[0] if isinstance(values, list) and values else None
            learned = first.get("known_from") if isinstance(first, dict) else None
            if learned is None:
                continue
            where = ["parameters", name, "values", 0, "known_from"]
            raise LawDataError(
                file.label,
                f"parameters.{name}.values.0.known_from: the first value of {name} cannot be"
                f" learned later than it applies: the law as known before {learned} would have"
                " no value of it (leave known_from out, or add it to a later value)",
                file.line(where),
            )


def learning_days(file: LawFile) -> set[date]:
    """The days on which entries of the file were learned (`known_from`, as `known_then`
    reads it): the law as known on a day changes only on these."""
    raw = file.raw
    if not isinstance(raw, dict):
        return set()
    entries = list(raw.get("parties") or []) if isinstance(raw.get("parties"), list) else []
    parameters = raw.get("parameters")
    for parameter in (parameters if isinstance(parameters, dict) else {}).values():
        values = parameter.get("values") if isinstance(parameter, dict) else None
        entries += values if isinstance(values, list) else []
    found = set()
    for entry in entries:
        learned = entry.get("known_from") if isinstance(entry, dict) else None
        if isinstance(learned, str):
            try:
                learned = date.fromisoformat(learned)
            except ValueError:
                continue  # not a date: the schema refuses it, naming the line
        if isinstance(learned, date):
            found.add(learned)
    return found


def known_then(file: LawFile, day: date) -> LawFile | None:
    """The file without the entries learned after the day (the same file if none was); None
    for an amendment (`amends:`) all of whose entries were learned later."""
    raw = file.raw
    if not isinstance(raw, dict):
        return file
    changed = dict(raw)
    parties = raw.get("parties")
    if isinstance(parties, list):
        changed["parties"] = [entry for entry in parties if _known(entry, day)]
    parameters = raw.get("parameters")
    if isinstance(parameters, dict):
        changed["parameters"] = {
            name: _values_known(parameter, day) for name, parameter in parameters.items()
        }
    if changed == raw:
        return file
    if "amends" in raw:
        # An amendment adds only what it lists: a parameter with no value left adds nothing.
        changed["parameters"] = {
            name: parameter
            for name, parameter in changed.get("parameters", {}).items()
            if not isinstance(parameter, dict) or parameter.get("values")
        }
        lists = ("parties", "agreements", "contested", "parameters")
        if not any(changed.get(name) for name in lists):
            return None
    return dataclasses.replace(file, raw=changed)


def _values_known(parameter: Any, day: date) -> Any:
    if not isinstance(parameter, dict) or not isinstance(parameter.get("values"), list):
        return parameter
    return {**parameter, "values": [v for v in parameter["values"] if _known(v, day)]}
