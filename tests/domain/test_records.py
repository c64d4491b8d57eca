"""Snapshots of domain objects, as the before/after of recorded events keep them."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from repatria.domain.records import snapshot


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@dataclass
class Child:
    id: int
    born: date


@dataclass
class Parent:
    id: int
    name: str
    flag: bool
    ratio: float
    missing: None
    colour: Colour
    level: Level
    at: datetime
    child: Child | None  # a loaded relationship: left out of the snapshot
    children: list[Child] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def test_a_snapshot_is_plain_json_without_loaded_relationships() -> None:
    child = Child(7, date(2001, 2, 3))
    parent = Parent(
        1,
        "Ana",
        True,
        0.5,
        None,
        Colour.RED,
        Level.HIGH,
        datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        child,
        [child],
        ["a"],
    )
    taken = snapshot(parent)
    assert taken == {
        "id": 1,
        "name": "Ana",
        "flag": True,
        "ratio": 0.5,
        "missing": None,
        "colour": "red",
        "level": 3,
        "at": "2026-01-02T03:04:05.000006+00:00",
        "children": [{"id": 7, "born": "2001-02-03"}],
        "tags": ["a"],
    }
    assert type(taken["colour"]) is str and type(taken["level"]) is int and taken["flag"] is True
    assert json.loads(json.dumps(taken)) == taken


def test_an_id_holding_a_dataclass_is_kept_and_a_class_is_given_back_as_it_is() -> None:
    @dataclass
    class Wrapper:
        id: Child

    assert snapshot(Wrapper(Child(1, date(2000, 1, 1)))) == {"id": {"id": 1, "born": "2000-01-01"}}
    assert snapshot(Child) is Child
