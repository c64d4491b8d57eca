"""Money: cost rates in force, the savings of a transfer, custody contracts and monthly invoices.

`Decimal` throughout; amounts are rounded to the cent once, ROUND_HALF_UP, at the end of each
line (one person's savings, one person's month on an invoice). The rules are in
docs/facilities.md.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

from repatria.domain.errors import Conflict, InvalidInput, NotFound
from repatria.i18n import N_

CENT = Decimal("0.01")
DAYS_PER_YEAR = Decimal("365.25")  # the mean Julian year: remaining years = remaining days / 365.25


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def fiscal_year(day: date, start_month: int = 10, start_day: int = 1) -> int:
    """The fiscal year a day falls in, named for the calendar year in which that year ends.

    The default is the US federal year: FY2025 runs 1 October 2024 to 30 September 2025.
    """
    if start_month == 1 and start_day == 1:
        return day.year
    return day.year + 1 if (day.month, day.day) >= (start_month, start_day) else day.year


@dataclass(frozen=True, slots=True)
class CostRate:
    """A jurisdiction's yearly cost of holding one person, for a fiscal year, with its source."""

    jurisdiction: str
    fiscal_year: int
    annual: Decimal
    daily: Decimal | None
    effective: date  # the day the published figure takes effect (its notice's date)
    citation: str
    url: str
    verified: bool
    currency: str = "USD"


def rate_in_force(rates: Iterable[CostRate], jurisdiction: str, on: date) -> CostRate:
    """The rate a jurisdiction had published by a date: the newest fiscal year in effect then.

    A rate measures a past fiscal year and takes effect when published, so on a given day the
    rate in force is the most recent fiscal year whose figure had taken effect.
    """
    candidates = [r for r in rates if r.jurisdiction == jurisdiction and r.effective <= on]
    if not candidates:
        raise NotFound("cost rate", f"{jurisdiction} in force on {on.isoformat()}")
    return max(candidates, key=lambda r: (r.fiscal_year, r.effective))


def remaining_years(transfer_day: date, release_day: date) -> Decimal:
    """Years of custody left after a transfer: whole days from transfer to release over 365.25."""
    if release_day <= transfer_day:
        return Decimal(0)
    with localcontext() as context:
        context.prec = 28
        return Decimal((release_day - transfer_day).days) / DAYS_PER_YEAR


def savings(years_left: Decimal, rate: CostRate) -> Decimal:
    """What the sending side no longer spends: years left times its yearly rate, to the cent."""
    if years_left < 0:
        raise InvalidInput("years_left", N_("cannot be negative"))
    return to_cents(years_left * rate.annual)


def transfer_savings(transfer_day: date, release_days: Iterable[date], rate: CostRate) -> Decimal:
    """Savings of a batch: each person's years left times the rate, rounded per person, summed."""
    return sum(
        (savings(remaining_years(transfer_day, release), rate) for release in release_days),
        Decimal(0),
    )


class FeeBasis(enum.StrEnum):
    """How a custody contract charges."""

    PER_PERSON_DAY = "per_person_day"
    PER_PERSON_YEAR = "per_person_year"  # charged per person-day at fee / 365
    LUMP_SUM = "lump_sum"  # due once, in the month the contract starts


class ContractNotInForce(Conflict):
    """The custody contract does not cover the date."""


class ContractCapReached(Conflict):
    """The custody contract already covers as many people as its cap allows."""


@dataclass(frozen=True, slots=True)
class CustodyContract:
    """An agreement for a host to hold people: fee, cap on people, dates and funding source."""

    id: str
    host_state: str
    facility_id: str | None
    fee_basis: FeeBasis
    fee: Decimal
    currency: str
    cap_people: int | None  # distinct people the contract may ever cover; None = no cap
    starts_on: date
    ends_on: date  # last day covered (inclusive)
    funding_source: str
    citation: str = ""
    url: str = ""

    def in_force_on(self, day: date) -> bool:
        """Whether the contract covers a day: from its start to its end day, both included."""
        return self.starts_on <= day <= self.ends_on

    def room_under_cap(self, people_admitted: int) -> int | None:
        """How many more people the contract may take (None when it has no cap)."""
        if self.cap_people is None:
            return None
        return max(self.cap_people - people_admitted, 0)

    def admit(self, day: date, people_admitted: int) -> None:
        """Check that one more person may be placed under the contract on a day, or refuse."""
        if not self.in_force_on(day):
            raise ContractNotInForce(
                N_("contract %(reference)s is in force %(start)s to %(end)s, not on %(day)s"),
                reference=self.id,
                start=self.starts_on,
                end=self.ends_on,
                day=day,
            )
        if self.room_under_cap(people_admitted) == 0:
            raise ContractCapReached(
                N_("contract %(reference)s is at its cap of %(n)s people"),
                reference=self.id,
                n=self.cap_people,
            )


@dataclass(frozen=True, slots=True)
class Custody:
    """One period a person is held under a contract: arrival counts, release day does not."""

    person_id: str
    arrival: date
    release: date | None = None


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One person's days held in the month and what they cost."""

    person_id: str
    days: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Invoice:
    """A month's invoice for a contract: a line per person, and the lump sum when it falls due."""

    contract_id: str
    month: date  # first day of the month
    currency: str
    lines: tuple[InvoiceLine, ...]
    lump_sum: Decimal

    @property
    def person_days(self) -> int:
        """Person-days held in the month."""
        return sum(line.days for line in self.lines)

    @property
    def total(self) -> Decimal:
        """What the month costs: the lines plus any lump sum due."""
        return sum((line.amount for line in self.lines), self.lump_sum)


def _month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


def days_held(custodies: Iterable[Custody], start: date, end: date) -> dict[str, int]:
    """Days each person is held in [start, end): overlapping periods count each day once."""
    days: dict[str, set[date]] = {}
    for custody in custodies:
        first = max(custody.arrival, start)
        stop = end if custody.release is None else min(custody.release, end)
        held = days.setdefault(custody.person_id, set())
        held.update(first + timedelta(days=n) for n in range((stop - first).days))
    return {person: len(held) for person, held in days.items() if held}


def monthly_invoice(
    contract: CustodyContract, custodies: Iterable[Custody], month: date
) -> Invoice:
    """The invoice for one calendar month, from the person-days actually held under the contract."""
    first, following = _month_bounds(month)
    start = max(first, contract.starts_on)
    end = min(following, contract.ends_on + timedelta(days=1))
    held = days_held(custodies, start, end) if start < end else {}
    lines = []
    for person_id in sorted(held):
        days = held[person_id]
        if contract.fee_basis is FeeBasis.PER_PERSON_DAY:
            amount = to_cents(contract.fee * days)
        elif contract.fee_basis is FeeBasis.PER_PERSON_YEAR:
            amount = to_cents(contract.fee * days / 365)
        else:
            amount = Decimal("0.00")
        lines.append(InvoiceLine(person_id, days, amount))
    lump_due = contract.fee_basis is FeeBasis.LUMP_SUM and first <= contract.starts_on < following
    lump_sum = to_cents(contract.fee) if lump_due else Decimal("0.00")
    return Invoice(contract.id, first, contract.currency, tuple(lines), lump_sum)
