"""Plain JSON snapshots of domain objects, for the before/after of recorded events."""

from __future__ import annotations

import enum
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any, cast

_PLAIN = (str, int, float, type(None))  # bool is an int


def snapshot(obj: Any) -> Any:
    """A JSON-ready copy of a domain dataclass (dates as ISO text, enums as values).

    A field holding another dataclass (a loaded relationship) is left out, unless it is a
    list of them or the `id`. Run twice a transition and once for each record of a case's
    document, so each class's field names are looked up once (`_field_names`)."""
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    names = _field_names(kind)
    if names is not None:
        copied = {}
        for name in names:
            value = getattr(obj, name)
            if type(value) in _PLAIN:
                copied[name] = value
            elif name == "id" or isinstance(value, list) or not is_dataclass(value):
                copied[name] = snapshot(value)
        return copied
    if isinstance(obj, list):
        return [snapshot(item) for item in obj]
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    return obj


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass type, in order; None for any other type."""
    names = _FIELDS.get(kind, _UNSEEN)
    if names is _UNSEEN:
        names = _FIELDS[kind] = tuple(f.name for f in fields(kind)) if is_dataclass(kind) else None
    return cast(tuple[str, ...] | None, names)


_UNSEEN = object()
_FIELDS: dict[type, object] = {}
