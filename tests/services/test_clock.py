"""The day the application takes a step on, when the step names none."""

from __future__ import annotations

import threading
from datetime import date

from repatria.services import clock


def test_held_day_is_every_threads_today_and_the_real_day_returns_after() -> None:
    outer = clock.today()
    seen: list[date] = []
    with clock.held_to(date(2031, 2, 28)):
        thread = threading.Thread(target=lambda: seen.append(clock.today()))
        thread.start()
        thread.join()
        with clock.held_to(date(2031, 3, 1)):
            assert clock.today() == date(2031, 3, 1)
        assert clock.today() == date(2031, 2, 28)
    assert seen == [date(2031, 2, 28)]
    assert clock.today() == outer
