"""Standard capacity under CPT and ICRC, the standards data, occupancy by day and the forecast."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from repatria.domain.errors import InvalidInput
from repatria.domain.facilities import (
    Cell,
    Facility,
    Occupancy,
    Stay,
    Unit,
    facility_report,
    forecast,
    occupancy_on,
    placement_limit,
    standard_capacity,
)
from repatria.domain.reference_data import DuplicateKeyError, parse_standard, space_standard

ON = date(2025, 4, 11)
CPT = space_standard("CPT", ON)
ICRC = space_standard("ICRC", ON)


def cell(floor: str, sanitary: str = "0", beds: int = 100, **kwargs: object) -> Cell:
    return Cell("c", Decimal(floor), Decimal(sanitary), beds, "medium", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("floor", "sanitary", "expected"),
    [
        ("5.99", "0", 0),
        ("6", "0", 1),
        ("6.0", "0", 1),
        ("9.99", "0", 1),
        ("10", "0", 2),
        ("13.99", "0", 2),
        ("14", "0", 3),
        ("12", "2", 2),  # the sanitary annex does not count as living space
        ("11.99", "2", 1),
        ("100", "0", 24),  # 6 + 4 x 23 = 98 <= 100 < 102
        ("102", "0", 25),
    ],
)
def test_cpt_needs_six_square_metres_for_one_and_four_for_each_additional_person(
    floor: str, sanitary: str, expected: int
) -> None:
    assert standard_capacity(cell(floor, sanitary), CPT) == expected


@pytest.mark.parametrize(
    ("floor", "sanitary", "expected"),
    [
        ("5.39", "0", 0),
        ("5.4", "0", 1),
        ("6.79", "0", 1),
        ("6.8", "0", 2),
        ("10.2", "0", 3),  # exactly 3 x 3.4: exact decimals, no float rounding
        ("10.19", "0", 2),
        ("12.2", "2", 3),
        ("100", "0", 29),
    ],
)
def test_icrc_needs_five_point_four_alone_and_three_point_four_each_in_a_dormitory(
    floor: str, sanitary: str, expected: int
) -> None:
    assert standard_capacity(cell(floor, sanitary), ICRC) == expected


def test_a_single_occupancy_cell_holds_one_however_large() -> None:
    assert standard_capacity(cell("40", occupancy=Occupancy.SINGLE), CPT) == 1
    assert standard_capacity(cell("5", occupancy=Occupancy.SINGLE), CPT) == 0


def test_the_placement_limit_is_the_smaller_of_standard_capacity_and_beds() -> None:
    assert placement_limit(cell("100", beds=80), CPT) == 24
    assert placement_limit(cell("100", beds=10), CPT) == 10


@given(
    floor=st.decimals(min_value=0, max_value=500, places=2),
    sanitary=st.decimals(min_value=0, max_value=5, places=2),
)
def test_standard_capacity_is_the_largest_number_whose_required_area_fits(
    floor: Decimal, sanitary: Decimal
) -> None:
    room = cell(str(max(floor, sanitary)), str(sanitary))
    for standard in (CPT, ICRC):
        people = standard_capacity(room, standard)
        if people:
            assert standard.required_area(people) <= room.usable_area_m2
        assert standard.required_area(people + 1) > room.usable_area_m2


def test_a_sanitary_annex_larger_than_the_floor_is_refused() -> None:
    with pytest.raises(InvalidInput):
        cell("4", "5")


def cecot() -> Facility:
    """CECOT as reported: 8 buildings x 32 cells of about 100 m², 80 bunks, declared 40,000."""
    units = tuple(
        Unit(
            f"b{b}",
            f"building {b}",
            tuple(
                Cell(f"b{b}-c{c}", Decimal(100), Decimal(0), 80, "max", declared_capacity=None)
                for c in range(32)
            ),
        )
        for b in range(1, 9)
    )
    return Facility("cecot", "CECOT, Tecoluca", "SV", units, declared_capacity=40_000)


def test_cecot_declares_six_and_a_half_times_its_cpt_standard_capacity() -> None:
    report = facility_report(cecot(), CPT)
    assert report.cells == 256
    assert report.beds == 20_480
    assert report.standard_capacity == 256 * 24 == 6_144
    assert report.declared_excess == 40_000 - 6_144 == 33_856
    assert report.declared_ratio == Decimal("6.51")


def test_cecot_under_icrc_holds_twenty_nine_a_cell() -> None:
    assert facility_report(cecot(), ICRC).standard_capacity == 256 * 29


def test_occupancy_counts_the_arrival_day_but_not_the_release_day() -> None:
    stays = [
        Stay("p1", "c1", date(2025, 1, 1), date(2025, 1, 3)),
        Stay("p2", "c1", date(2025, 1, 2)),
    ]
    assert occupancy_on(stays, date(2025, 1, 1)) == {"c1": 1}
    assert occupancy_on(stays, date(2025, 1, 2)) == {"c1": 2}
    assert occupancy_on(stays, date(2025, 1, 3)) == {"c1": 1}


def test_the_forecast_names_the_first_day_standard_capacity_runs_out() -> None:
    facility = Facility("f", "f", "SV", (Unit("u", "u", (cell("14"),)),))  # CPT capacity 3
    start = date(2025, 1, 1)
    stays = [
        Stay("a", "c", start),
        Stay("b", "c", start, start + timedelta(days=5)),
        Stay("c", "c", start + timedelta(days=2)),
        Stay("d", "c", start + timedelta(days=3)),
    ]
    result = forecast(facility, CPT, stays, start, horizon_days=10)
    assert result.standard_capacity == 3
    assert [n for _, n in result.days[:6]] == [2, 2, 3, 4, 4, 3]
    assert result.full_on == start + timedelta(days=2)
    assert result.over_on == start + timedelta(days=3)


STANDARD_YAML = """
code: X
name: test
shared_rule: per_person
values:
  - effective: 2020-01-01
    single_cell_m2: "5"
    shared_per_person_m2: "3"
    sanitary_area_excluded: true
    source: {title: t, citation: c, url: u, verified: false}
"""


def test_standards_data_loads_as_exact_decimals_with_citations() -> None:
    assert CPT.single_cell_m2 == Decimal(6) and CPT.shared_per_person_m2 == Decimal(4)
    assert ICRC.shared_per_person_m2 == Decimal("3.4") and ICRC.single_cell_m2 == Decimal("5.4")
    assert "CPT/Inf (2015) 44" in CPT.citation and CPT.verified
    assert parse_standard(STANDARD_YAML)[0].shared_per_person_m2 == Decimal(3)


def test_a_standard_file_with_a_duplicate_key_is_refused() -> None:
    with pytest.raises(DuplicateKeyError):
        parse_standard(STANDARD_YAML.replace("name: test", "name: test\nname: again"))


def test_a_standard_file_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse_standard(STANDARD_YAML.replace("name: test", "name: test\nnmae: typo"))


def test_a_standard_file_with_a_float_amount_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse_standard(STANDARD_YAML.replace('"3"', "3.4"))
