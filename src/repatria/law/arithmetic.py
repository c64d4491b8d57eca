"""Calendar arithmetic for the law: release dates, time left in calendar months, ages."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_days(start: date, days: int) -> date:
    """`days` days after `start`; a day past the calendar's end (31 December 9999) or before
    its start is that end: later, or earlier, than any day the law compares it with."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's last day (and to
    the calendar's ends, as add_days)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not date.min.year <= year <= date.max.year:
        return date.max if months > 0 else date.min
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def release_date(start: date, length_days: int, credit_days: int = 0) -> date:
    """The day a determinate sentence ends: start, plus its length, less credited days."""
    return add_days(start, length_days - credit_days)


def months_and_days(start: date, end: date) -> tuple[int, int]:
    """Whole calendar months from start towards end, then the days left over (end >= start)."""
    if end < start:
        raise ValueError("end is before start")
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months, (end - add_months(start, months)).days


def has_months_left(reference: date, release: date, months: int) -> bool:
    """True when at least `months` calendar months remain from reference to release."""
    return add_months(reference, months) <= release


def age_on(birth: date, on: date) -> int:
    """Age in completed years on a date (a 29 February birthday falls on 1 March)."""
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)


def describe_span(months: int, days: int) -> str:
    """Plain words for a span, e.g. '4 months 12 days' or '1 month'."""
    parts = []
    if months or not days:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    return " ".join(parts)
