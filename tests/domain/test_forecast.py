"""The forecast: occupancy projected from stays, scheduled arrivals and release dates, and
the day a facility's standard capacity runs out."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from repatria.domain.facilities import (
    Cell,
    Facility,
    ForecastChange,
    ScheduledArrival,
    Stay,
    Unit,
    forecast,
)
from repatria.domain.reference_data import space_standard

START = date(2027, 1, 1)
CPT = space_standard("CPT", START)
# One shared cell of 14 m²: under CPT 6 + 4 + 4 m², three people.
FACILITY = Facility(
    "f", "f", "SV", (Unit("u", "u", (Cell("c", Decimal("14"), Decimal("0"), 4, "min"),)),)
)


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def occupancy(
    stays: list[Stay],
    horizon_days: int,
    *,
    arrivals: tuple[ScheduledArrival, ...] = (),
    releases: dict[str, date] | None = None,
) -> list[int]:
    """People projected in the facility, day by day from START."""
    result = forecast(
        FACILITY, CPT, stays, START, horizon_days, arrivals=arrivals, releases=releases
    )
    return [n for _, n in result.days]


def test_a_scheduled_arrival_raises_the_projection_from_its_day() -> None:
    held = [Stay("a", "c", day(-10))]
    arriving = (ScheduledArrival("b", day(3)),)
    assert occupancy(held, 6, arrivals=arriving) == [1, 1, 1, 2, 2, 2]


def test_a_release_date_lowers_the_projection_on_that_day() -> None:
    held = [Stay("a", "c", day(-10)), Stay("b", "c", day(-5))]
    assert occupancy(held, 5, releases={"a": day(2)}) == [2, 2, 1, 1, 1]


def test_a_scheduled_arrival_leaves_on_its_release_date() -> None:
    arriving = (ScheduledArrival("b", day(1)),)
    assert occupancy([], 5, arrivals=arriving, releases={"b": day(3)}) == [0, 1, 1, 0, 0]


def test_a_stays_own_release_wins_over_the_expected_one() -> None:
    held = [Stay("a", "c", day(-10), day(4))]
    assert occupancy(held, 5, releases={"a": day(1)}) == [1, 1, 1, 1, 0]


def test_an_expected_release_already_past_leaves_the_person_held() -> None:
    # On the record the person is still in the cell; the projection does not release them.
    held = [Stay("a", "c", day(-10))]
    assert occupancy(held, 3, releases={"a": day(-1)}) == [1, 1, 1]


def test_a_person_already_in_a_cell_is_not_counted_again_as_an_arrival() -> None:
    held = [Stay("a", "c", day(-10))]
    result = forecast(FACILITY, CPT, held, START, 3, arrivals=[ScheduledArrival("a", day(1))])
    assert [n for _, n in result.days] == [1, 1, 1]
    assert result.scheduled_arrivals == 0


def test_a_person_on_two_movements_is_counted_once_from_the_first() -> None:
    arriving = (ScheduledArrival("b", day(3)), ScheduledArrival("b", day(1)))
    assert occupancy([], 5, arrivals=arriving) == [0, 1, 1, 1, 1]


def test_the_run_out_date_counts_scheduled_arrivals_and_releases() -> None:
    held = [Stay("a", "c", day(-10)), Stay("b", "c", day(-3))]
    arriving = [ScheduledArrival("m1", day(2)), ScheduledArrival("m2", day(5))]
    result = forecast(
        FACILITY, CPT, held, START, 10, arrivals=arriving, releases={"a": day(4), "m1": day(20)}
    )
    assert [n for _, n in result.days[:7]] == [2, 2, 3, 3, 2, 3, 3]
    assert result.standard_capacity == 3
    assert result.full_on == day(2)  # b, a and the first arrival: no room left
    assert result.over_on is None
    assert result.scheduled_arrivals == 2
    assert result.changes == (
        ForecastChange(day(2), arrivals=1, releases=0, occupancy=3),
        ForecastChange(day(4), arrivals=0, releases=1, occupancy=2),
        ForecastChange(day(5), arrivals=1, releases=0, occupancy=3),
    )


def test_without_arrivals_the_standard_capacity_never_runs_out() -> None:
    result = forecast(FACILITY, CPT, [Stay("a", "c", day(-1))], START, 30)
    assert (result.full_on, result.over_on, result.changes) == (None, None, ())
