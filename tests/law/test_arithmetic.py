"""Calendar arithmetic: months clamp to month ends, time left and ages count as the law does."""

from __future__ import annotations

from datetime import date

import pytest

from repatria.law.arithmetic import (
    add_months,
    age_on,
    describe_span,
    has_months_left,
    months_and_days,
    release_date,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 15), 6, date(2024, 7, 15)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_release_date_is_start_plus_length_less_credits() -> None:
    assert release_date(date(2024, 1, 1), 335, 0) == date(2024, 12, 1)
    assert release_date(date(2024, 1, 1), 400, 66) == date(2024, 11, 30)


def test_exactly_six_calendar_months_left_meets_the_minimum() -> None:
    assert has_months_left(date(2024, 6, 1), date(2024, 12, 1), 6)


def test_one_day_less_than_six_calendar_months_does_not() -> None:
    assert not has_months_left(date(2024, 6, 1), date(2024, 11, 30), 6)


def test_six_months_from_the_31st_ends_on_the_last_day_of_february() -> None:
    assert has_months_left(date(2024, 8, 31), date(2025, 2, 28), 6)
    assert not has_months_left(date(2024, 8, 31), date(2025, 2, 27), 6)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 6, 1), date(2024, 10, 13), (4, 12)),
        (date(2024, 1, 31), date(2024, 3, 1), (1, 1)),
        (date(2024, 6, 1), date(2024, 6, 1), (0, 0)),
        (date(2024, 1, 31), date(2024, 2, 29), (1, 0)),
    ],
)
def test_months_and_days_counts_whole_months_then_days(
    start: date, end: date, expected: tuple[int, int]
) -> None:
    assert months_and_days(start, end) == expected


def test_months_and_days_refuses_an_end_before_the_start() -> None:
    with pytest.raises(ValueError):
        months_and_days(date(2024, 6, 2), date(2024, 6, 1))


def test_age_turns_over_on_the_birthday() -> None:
    assert age_on(date(2007, 4, 11), date(2025, 4, 10)) == 17
    assert age_on(date(2007, 4, 11), date(2025, 4, 11)) == 18


def test_a_29_february_birthday_counts_from_1_march_in_common_years() -> None:
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_spans_read_in_plain_words() -> None:
    assert describe_span(4, 12) == "4 months 12 days"
    assert describe_span(1, 0) == "1 month"
    assert describe_span(0, 1) == "1 day"
    assert describe_span(0, 0) == "0 months"


def test_a_day_past_the_calendars_end_is_its_end_not_a_crash() -> None:
    # A sentence recorded as starting on 31 December 9999 (a typing slip) ends "later than any
    # day the law compares it with", and its assessment is made rather than a server error.
    from repatria.law.arithmetic import add_days, add_months, release_date

    assert release_date(date(9999, 12, 1), 3650) == date.max
    assert add_days(date(1, 1, 2), -5) == date.min
    assert add_months(date(9999, 11, 30), 6) == date.max
    assert add_months(date(1, 3, 1), -6) == date.min
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)  # unchanged inside the range


def test_an_assessment_with_a_sentence_starting_in_the_year_9999_is_made() -> None:
    import json
    from pathlib import Path

    from repatria.law.document import AssessmentDocument
    from repatria.law.engine import assess

    document = json.loads((Path(__file__).parent / "example.json").read_text())
    document["sentence"]["start_date"] = "9999-12-31"
    verdict = assess(AssessmentDocument.model_validate(document))
    remaining = next(c for c in verdict.checks if c.rule == "us-mx-1976/remaining-sentence")
    assert remaining.outcome == "pass"
