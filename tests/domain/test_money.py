"""Cost rates in force, savings of a transfer, custody contracts and invoices, to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from repatria.domain.errors import NotFound
from repatria.domain.money import (
    ContractCapReached,
    ContractNotInForce,
    CostRate,
    Custody,
    CustodyContract,
    FeeBasis,
    days_held,
    fiscal_year,
    monthly_invoice,
    rate_in_force,
    remaining_years,
    savings,
    transfer_savings,
)
from repatria.domain.reference_data import DuplicateKeyError, cost_rates, parse_costs

APRIL_BATCH = date(2025, 4, 11)


def rate(annual: str) -> CostRate:
    return CostRate("US", 2099, Decimal(annual), None, date(2000, 1, 1), "test", "", False)


def el_salvador_2025() -> CustodyContract:
    """The 2025 US-El Salvador agreement: up to 300 people for up to a year, $4.76M lump sum."""
    return CustodyContract(
        id="us-sv-2025",
        host_state="SV",
        facility_id="cecot",
        fee_basis=FeeBasis.LUMP_SUM,
        fee=Decimal("4760000"),
        currency="USD",
        cap_people=300,
        starts_on=date(2025, 3, 15),
        ends_on=date(2026, 3, 14),
        funding_source="US State Department, Bureau of International Narcotics and Law Enforcement",
    )


def test_the_us_federal_fiscal_year_starts_on_the_first_of_october() -> None:
    assert fiscal_year(date(2024, 9, 30)) == 2024
    assert fiscal_year(date(2024, 10, 1)) == 2025
    assert fiscal_year(APRIL_BATCH) == 2025
    assert fiscal_year(date(2025, 4, 11), start_month=1) == 2025


def test_the_rate_in_force_is_the_newest_published_by_that_day() -> None:
    rates = cost_rates()
    assert {r.fiscal_year for r in rates} == {2010, 2012, 2015, 2019, 2020, 2023, 2024}
    in_april_2025 = rate_in_force(rates, "US", APRIL_BATCH)
    assert (in_april_2025.fiscal_year, in_april_2025.annual) == (2023, Decimal(44090))
    assert "89 FR 97072" in in_april_2025.citation
    assert rate_in_force(rates, "US", date(2026, 1, 1)).annual == Decimal(47162)
    assert rate_in_force(rates, "US", date(2022, 1, 1)).annual == Decimal(39158)
    # Until the FY2019/2020 notice of 1 Sep 2021, the FY2015 rate (19 Jul 2016) was the newest.
    assert rate_in_force(rates, "US", date(2020, 1, 1)).annual == Decimal("31977.65")
    assert rate_in_force(rates, "US", date(2014, 1, 1)).annual == Decimal("29027.46")


def test_no_rate_before_the_first_notice_is_not_found() -> None:
    with pytest.raises(NotFound):
        rate_in_force(cost_rates(), "US", date(2011, 9, 14))  # the FY2010 notice: 15 Sep 2011


def test_the_april_2025_batch_saves_more_than_three_million_dollars() -> None:
    # 13 people, 75 combined years left, at the rate in force on 11 April 2025 (FY2023)
    in_force = rate_in_force(cost_rates(), "US", APRIL_BATCH)
    assert savings(Decimal(75), in_force) == Decimal("3306750.00")
    # and at the newest published rate (FY2024), the figure DESIGN.md's arithmetic used
    newest = rate_in_force(cost_rates(), "US", date(2026, 1, 1))
    assert savings(Decimal(75), newest) == Decimal("3537150.00")


def test_remaining_years_are_days_over_365_25() -> None:
    assert remaining_years(date(2025, 1, 1), date(2025, 1, 1)) == 0
    assert remaining_years(date(2025, 1, 1), date(2024, 1, 1)) == 0
    years = remaining_years(APRIL_BATCH, date(2026, 4, 11))
    assert years == Decimal(365) / Decimal("365.25")
    assert savings(years, rate("44090")) == Decimal("44059.82")


def test_savings_round_half_up_to_the_cent_per_person() -> None:
    assert savings(Decimal("0.5"), rate("1.01")) == Decimal("0.51")
    assert savings(Decimal("0.5"), rate("1.03")) == Decimal("0.52")
    batch = transfer_savings(date(2025, 1, 1), [date(2025, 1, 1), date(2026, 1, 1)], rate("36525"))
    assert batch == Decimal("36500.00")


def person_day_contract(cap: int | None = None) -> CustodyContract:
    return CustodyContract(
        "c1", "SV", None, FeeBasis.PER_PERSON_DAY, Decimal("20.00"), "USD", cap,
        date(2025, 1, 15), date(2025, 12, 31), "test",
    )  # fmt: skip


def test_a_contract_at_its_cap_refuses_the_next_person() -> None:
    contract = el_salvador_2025()
    contract.admit(date(2025, 4, 11), people_admitted=299)
    assert contract.room_under_cap(299) == 1
    with pytest.raises(ContractCapReached):
        contract.admit(date(2025, 4, 11), people_admitted=300)


def test_a_contract_refuses_a_person_outside_its_dates() -> None:
    with pytest.raises(ContractNotInForce):
        el_salvador_2025().admit(date(2026, 3, 15), people_admitted=0)
    assert el_salvador_2025().in_force_on(date(2026, 3, 14))


def test_an_uncapped_contract_always_has_room() -> None:
    assert person_day_contract().room_under_cap(10_000) is None


def test_an_invoice_counts_the_arrival_day_and_not_the_release_day() -> None:
    custodies = [
        Custody("a", date(2025, 1, 30), date(2025, 2, 3)),
        Custody("b", date(2025, 2, 1)),
    ]
    february = monthly_invoice(person_day_contract(), custodies, date(2025, 2, 1))
    assert [(line.person_id, line.days, line.amount) for line in february.lines] == [
        ("a", 2, Decimal("40.00")),
        ("b", 28, Decimal("560.00")),
    ]
    assert february.person_days == 30
    assert february.total == Decimal("600.00")
    january = monthly_invoice(person_day_contract(), custodies, date(2025, 1, 1))
    assert january.total == Decimal("40.00")


def test_an_invoice_starts_on_the_contract_start_day() -> None:
    invoice = monthly_invoice(
        person_day_contract(), [Custody("a", date(2025, 1, 1))], date(2025, 1, 1)
    )
    assert invoice.person_days == 17  # 15 to 31 January


def test_overlapping_custody_counts_each_day_once() -> None:
    custodies = [
        Custody("a", date(2025, 3, 1), date(2025, 3, 11)),
        Custody("a", date(2025, 3, 5), date(2025, 3, 16)),
    ]
    assert days_held(custodies, date(2025, 3, 1), date(2025, 4, 1)) == {"a": 15}


def test_a_yearly_fee_is_charged_per_person_day_at_one_365th() -> None:
    contract = CustodyContract(
        "y", "SV", None, FeeBasis.PER_PERSON_YEAR, Decimal("36500"), "USD", None,
        date(2025, 1, 1), date(2025, 12, 31), "test",
    )  # fmt: skip
    invoice = monthly_invoice(contract, [Custody("a", date(2025, 1, 1))], date(2025, 1, 1))
    assert invoice.total == Decimal("3100.00")


def test_a_lump_sum_is_due_once_in_the_month_the_contract_starts() -> None:
    contract = el_salvador_2025()
    custodies = [Custody(f"p{n}", date(2025, 3, 16)) for n in range(238)]
    march = monthly_invoice(contract, custodies, date(2025, 3, 1))
    assert march.lump_sum == Decimal("4760000.00")
    assert march.person_days == 238 * 16
    april = monthly_invoice(contract, custodies, date(2025, 4, 1))
    assert april.total == Decimal("0.00") and april.person_days == 238 * 30


COSTS_YAML = """
jurisdiction: XX
name: test
currency: USD
fiscal_year_starts: {month: 10, day: 1}
rates:
  - fiscal_year: 2020
    annual: "100"
    effective: 2021-01-01
    source: {title: t, citation: c, url: u, verified: true}
"""


def test_a_cost_file_with_a_duplicate_key_is_refused() -> None:
    assert parse_costs(COSTS_YAML)[0].annual == Decimal(100)
    with pytest.raises(DuplicateKeyError):
        parse_costs(COSTS_YAML.replace('annual: "100"', 'annual: "100"\n    annual: "200"'))
