"""Plain JSON snapshots of domain objects, for the before/after of recorded events."""

from __future__ import annotations

import enum
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any


def snapshot(obj: Any) -> Any:
    """A JSON-ready copy of a domain dataclass (dates as ISO text, enums as values)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: snapshot(getattr(obj, f.name))
            for f in fields(obj)
            if not (is_dataclass(getattr(obj, f.name)) and f.name != "id")
            or isinstance(getattr(obj, f.name), list)
        }
    if isinstance(obj, list):
        return [snapshot(item) for item in obj]
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    return obj
