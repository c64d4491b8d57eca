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
from typing import Any

from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.domain.facilities import ScheduledArrival
from repatria.domain.movements import MovementState
from repatria.domain.places import FacilityRecord
from repatria.law.arithmetic import release_date
from repatria.services.unit_of_work import UnitOfWork

_NOT_ARRIVED = (MovementState.PLANNED, MovementState.MANIFEST_LOCKED, MovementState.DEPARTED)


def scheduled_arrivals(uow: UnitOfWork, facility: FacilityRecord) -> list[ScheduledArrival]:
    """Everyone on board a movement to the facility's state that has not arrived yet, from the
    day it leaves, if the movement is bound for this facility (`_bound_here`)."""
    movements, manifest = t.movements.c, t.manifest_entries.c
    rows = uow.session.execute(
        select(t.cases.c.person_id, movements.planned_departure, movements.from_state)
        .join(t.manifest_entries, manifest.case_id == t.cases.c.id)
        .join(t.movements, movements.id == manifest.movement_id)
        .where(
            movements.to_state == facility.state,
            movements.state.in_(_NOT_ARRIVED),
            manifest.removed_at.is_(None),
        )
    )
    return [
        ScheduledArrival(str(person_id), leaves.date())
        for person_id, leaves, sender in rows
        if _bound_here(uow, facility, sender, leaves.date())
    ]


def _bound_here(uow: UnitOfWork, facility: FacilityRecord, sender: str, on: date) -> bool:
    """People moved on a day go to the facility a custody contract in force names (the sender
    paying), or, when none names one, to the receiving state's only facility."""
    contracts = t.custody_contracts.c
    named = set(
        uow.session.scalars(
            select(contracts.facility_id).where(
                contracts.payer_state == sender,
                contracts.host_state == facility.state,
                contracts.starts_on <= on,
                contracts.ends_on >= on,
                contracts.facility_id.is_not(None),
            )
        )
    )
    if named:
        return facility.id in named
    count = select(func.count()).where(t.facilities.c.state == facility.state)
    return uow.session.scalar(count) == 1


def expected_releases(uow: UnitOfWork, person_ids: set[int]) -> dict[str, date]:
    """Each person's expected release: the end of their latest sentence, if determinate (the
    sentence the savings read)."""
    sentences = t.sentences.c
    rows = uow.session.execute(
        select(sentences.person_id, sentences.start_date, sentences.length_days)
        .add_columns(sentences.credit_days, sentences.indeterminate)
        .where(sentences.person_id.in_(person_ids))
        .order_by(sentences.id)
    )
    latest: dict[int, Any] = {}
    for row in rows:
        if row.person_id not in latest or row.start_date > latest[row.person_id].start_date:
            latest[row.person_id] = row
    return {
        str(person_id): release_date(row.start_date, row.length_days, row.credit_days)
        for person_id, row in latest.items()
        if not row.indeterminate and row.length_days is not None
    }
