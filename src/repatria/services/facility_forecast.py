"""What a facility's forecast reads besides its stays: who is on the way, and when people leave.

* Scheduled arrivals: everyone on board a movement to the facility's state that has not
  arrived yet (planned, manifest locked or departed), counted from the movement's planned
  departure day (no arrival date is booked before the movement arrives), if the movement is
  bound for this facility: the one a custody contract in force names, the sending state
  paying, or else the receiving state's only facility.
* Expected releases: the end of each person's latest determinate sentence, the same sentence
  the savings read.

The arithmetic is in `repatria.domain.facilities.forecast`.
"""

from __future__ import annotations

from datetime import date

from repatria.domain.facilities import ScheduledArrival
from repatria.domain.places import FacilityRecord
from repatria.law.arithmetic import release_date
from repatria.services.ports.people import SentenceTerm
from repatria.services.unit_of_work import UnitOfWork


def scheduled_arrivals(uow: UnitOfWork, facility: FacilityRecord) -> list[ScheduledArrival]:
    """Everyone on board a movement to the facility's state that has not arrived yet, from the
    day it leaves, if the movement is bound for this facility (`_bound_here`)."""
    return [
        ScheduledArrival(str(aboard.person_id), aboard.planned_departure.date())
        for aboard in uow.movements.in_flight_to(facility.state)
        if _bound_here(uow, facility, aboard.from_state, aboard.planned_departure.date())
    ]


def _bound_here(uow: UnitOfWork, facility: FacilityRecord, sender: str, on: date) -> bool:
    """People moved on a day go to the facility a custody contract in force names (the sender
    paying), or, when none names one, to the receiving state's only facility."""
    named = uow.contracts.facilities_named(sender, facility.state, on)
    if named:
        return facility.id in named
    return uow.facilities.count_run_by(facility.state) == 1


def expected_releases(uow: UnitOfWork, person_ids: set[int]) -> dict[str, date]:
    """Each person's expected release: the end of their latest sentence, if determinate (the
    sentence the savings read)."""
    latest: dict[int, SentenceTerm] = {}
    for term in uow.people.sentence_terms(person_ids):
        if term.person_id not in latest or term.start_date > latest[term.person_id].start_date:
            latest[term.person_id] = term
    return {
        str(person_id): release_date(row.start_date, row.length_days, row.credit_days)
        for person_id, row in latest.items()
        if not row.indeterminate and row.length_days is not None
    }
