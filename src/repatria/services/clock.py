"""What day it is, asked in one place.

A step a user takes without naming its day is taken today, and a report asked for no day is of
today: the date where the server runs, in its local time zone. Every such default asks
`today()` (ruff's DTZ011 refuses `date.today()` anywhere else), so that a process can be held
to one day. A test session that builds a case at 23:59 and approves it at 00:01 must not see
the approval dated a day after the consent it verified; the suite holds the whole session to
the day it started on (tests/conftest.py).

Moments (when an event was recorded, when a token expires) are read from the real clock, in
UTC, by `unit_of_work.utcnow`; holding the day does not stop them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

_held: list[date] = []


def today() -> date:
    """Today's date where the server runs, or the day the process is held to."""
    return _held[-1] if _held else date.today()  # noqa: DTZ011 - the one place that asks


@contextmanager
def held_to(day: date) -> Iterator[date]:
    """Within the block, `today()` is `day` for every thread of the process."""
    _held.append(day)
    try:
        yield day
    finally:
        _held.pop()
