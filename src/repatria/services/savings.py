"""The savings of a movement: each person's years left times the sending state's yearly cost.

Years left are counted the way the law counts time left (`law.arithmetic.months_and_days`):
whole calendar months from the movement's date towards the release date, twelve to a year,
then the days over, at 365.25 to a year. A sentence ending on the third anniversary of the
movement leaves exactly three years, whatever leap days lie between. The rate is the sending
jurisdiction's cost rate in force on the movement's date (`rate_in_force`); each person's
savings are rounded to the cent, and the total is the sum of those lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.money import DAYS_PER_YEAR, CostRate, rate_in_force, savings
from repatria.domain.movements import Movement
from repatria.domain.people import Person
from repatria.domain.reference_data import cost_rates
from repatria.law.arithmetic import months_and_days, release_date
from repatria.services import movements
from repatria.services.unit_of_work import UnitOfWork


def years_left(transfer_day: date, release_day: date) -> Decimal:
    """Years of custody left: whole calendar months over twelve, then days over 365.25."""
    if release_day <= transfer_day:
        return Decimal(0)
    months, days = months_and_days(transfer_day, release_day)
    with localcontext() as context:
        context.prec = 28
        return Decimal(months) / 12 + Decimal(days) / DAYS_PER_YEAR


@dataclass
class PersonSavings:
    """One person aboard: when they would have been released, and what their transfer saves."""

    case: Case
    person: Person
    release_on: date | None
    years_left: Decimal | None
    savings: Decimal
    note: str = ""


@dataclass
class MovementSavings:
    """A movement's savings at the rate in force on its date, person by person."""

    movement: Movement
    on: date
    rate: CostRate
    people: list[PersonSavings] = field(default_factory=list)

    @property
    def combined_years(self) -> Decimal:
        """Years left, added over everyone whose release date is known."""
        return sum((p.years_left for p in self.people if p.years_left is not None), Decimal(0))

    @property
    def total(self) -> Decimal:
        """The sum of the rounded lines."""
        return sum((p.savings for p in self.people), Decimal("0.00"))


def _release_of(person: Person) -> tuple[date | None, str]:
    sentence = max(person.sentences, key=lambda s: s.start_date, default=None)
    if sentence is None:
        return None, "no sentence on record"
    if sentence.indeterminate or sentence.length_days is None:
        return None, "indeterminate sentence: years left unknown"
    return release_date(sentence.start_date, sentence.length_days, sentence.credit_days), ""


def of_movement(uow: UnitOfWork, principal: Principal, movement_id: int) -> MovementSavings:
    """Savings of everyone aboard a movement (those taken off the manifest do not count), as
    of the day it actually left (the planned day until it has)."""
    movement = movements.get_or_raise(uow, principal, movement_id)
    on = (movement.departed_at or movement.planned_departure).date()
    report = MovementSavings(movement, on, rate_in_force(cost_rates(), movement.from_state, on))
    for entry in movements.manifest(uow, movement_id, on_board_only=True):
        case = uow.cases.get(entry.case_id)
        assert case is not None
        person = uow.people.get(case.person_id)
        assert person is not None
        release, note = _release_of(person)
        if release is None:
            report.people.append(PersonSavings(case, person, None, None, Decimal("0.00"), note))
            continue
        years = years_left(on, release)
        report.people.append(
            PersonSavings(case, person, release, years, savings(years, report.rate))
        )
    return report


SAVINGS_COLUMNS = (
    "movement",
    "case",
    "person_id",
    "release_on",
    "years_left",
    "fiscal_year",
    "annual_rate",
    "savings",
    "note",
)


def rows(report: MovementSavings) -> list[dict[str, str]]:
    """The savings as rows for CSV: one per person, then the total."""
    base = {
        "movement": report.movement.label,
        "fiscal_year": str(report.rate.fiscal_year),
        "annual_rate": str(report.rate.annual),
    }
    lines = [
        {
            **base,
            "case": p.case.reference,
            "person_id": str(p.person.id),
            "release_on": p.release_on.isoformat() if p.release_on else "",
            "years_left": "" if p.years_left is None else f"{p.years_left:.4f}",
            "savings": str(p.savings),
            "note": p.note,
        }
        for p in report.people
    ]
    total = {"case": "total", "person_id": "", "release_on": "", "note": ""}
    years = f"{report.combined_years:.4f}"
    lines.append({**base, **total, "years_left": years, "savings": str(report.total)})
    return lines
