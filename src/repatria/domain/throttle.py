"""How long failed sign-ins make an account or a client address wait: growing delays."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    """Free attempts, then a wait that doubles with each further failure, up to a ceiling."""

    free_attempts: int
    first_wait: timedelta
    longest_wait: timedelta
    forget_after: timedelta  # failures this old no longer count

    def wait_after(self, failures: int) -> timedelta:
        """The wait imposed after this many failures in a row."""
        if failures < self.free_attempts:
            return timedelta(0)
        doublings = min(failures - self.free_attempts, 20)
        wait: timedelta = self.first_wait * (2**doublings)
        return min(self.longest_wait, wait)

    def failures_counting(self, failures: int, last_attempt_at: datetime, now: datetime) -> int:
        """The failures that still count at `now`."""
        return 0 if now - last_attempt_at >= self.forget_after else failures

    def seconds_to_wait(self, failures: int, last_attempt_at: datetime, now: datetime) -> int:
        """Whole seconds before another attempt is allowed (0: allowed now)."""
        counting = self.failures_counting(failures, last_attempt_at, now)
        left = last_attempt_at + self.wait_after(counting) - now
        return max(0, math.ceil(left.total_seconds()))


# One account: five attempts, then 30 s, 1 min, 2 min, … up to 15 min a guess.
PER_ACCOUNT = ThrottlePolicy(5, timedelta(seconds=30), timedelta(minutes=15), timedelta(days=1))
# One client address, over every account it tries: a wider allowance for a shared office.
PER_ADDRESS = ThrottlePolicy(20, timedelta(seconds=30), timedelta(minutes=15), timedelta(days=1))


def stale_before(now: datetime) -> datetime:
    """The last attempt before which a throttle row counts for nothing under either policy:
    its failures are forgotten, so it makes nobody wait and may be deleted."""
    return now - max(PER_ACCOUNT.forget_after, PER_ADDRESS.forget_after)
