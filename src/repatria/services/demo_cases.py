"""Demo cases driven through the real workflow: every step re-assessed, recorded and signed.

Nothing here writes a state directly. The batch of 11 April 2025 (the 184th US-to-Mexico
transfer) is replayed step by step on its historical dates, and a treaty case is left at every
state of its lifecycle, so the demo shows what the law allowed at each step and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from repatria.domain.accounts import Principal, User
from repatria.domain.cases import Case
from repatria.domain.errors import NotEligible
from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.services import (
    accounts,
    case_facts,
    cases,
    consent,
    movements,
    people,
    safeguards,
    transitions,
)
from repatria.services.commands import (
    HoldIn,
    ManifestChange,
    MovementStep,
    OpenCase,
    PlanMovement,
    RecordPerson,
)
from repatria.services.unit_of_work import UnitOfWork, utcnow

BATCH_DATE = date(2025, 4, 11)
FLIGHT_TIME = timedelta(hours=6)
BATCH_RECEIVED = date(2025, 1, 13)  # the day the batch's applications came in
BATCH_SEQUENCE = 184  # the April 2025 batch was the 184th transfer from the US to Mexico
# Facts the US-Mexico treaty asks about that an officer establishes from the file.
TREATY_FACTS = {
    "person_competent": True,
    "person_years_in_sending_state": 4,
    "person_intends_to_remain": False,
    "sentence_dual_criminality": True,
    "sentence_other_charges_pending": False,
}


class Actors:
    """The demo users, as principals, by their username."""

    def __init__(self, users: Mapping[str, User]) -> None:
        self._principals = {name: accounts.principal_of(user) for name, user in users.items()}

    def __getitem__(self, username: str) -> Principal:
        return self._principals[username]


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _open(
    uow: UnitOfWork, actors: Actors, person: RecordPerson, received_on: date
) -> tuple[Case, int]:
    officer = actors["us-case-officer"]
    recorded = people.record(uow, officer, person)
    assert recorded.id is not None
    case = cases.open_case(
        uow,
        officer,
        OpenCase(
            person_id=recorded.id,
            authority="us-mx-1976",
            from_state="US",
            to_state="MX",
            opened_on=received_on,  # its history starts when the application came in
        ),
    )
    assert case.id is not None
    case_facts.assert_facts(
        uow,
        officer,
        case.id,
        case_facts.AssertCaseFacts.model_validate(
            {**TREATY_FACTS, "request_received_on": received_on}
        ),
    )
    return case, case.id


def _step(
    uow: UnitOfWork, actor: Principal, case_id: int, command: str, on: date, reason: str = ""
) -> None:
    transitions.take(uow, actor, case_id, transitions.Step(command=command, on=on, reason=reason))


def _consent(on: date, consents: bool = True) -> consent.RecordConsentVerification:
    return consent.RecordConsentVerification(
        verifier_name="U.S. Magistrate Judge (demo)",
        verifier_role="magistrate_judge",
        verified_on=on,
        counsel="present",
        advisements=dict.fromkeys(REQUIRED_ADVISEMENTS, True),
        consents=consents,
        recording_reference=f"CVH-{on.isoformat()}-demo",
    )


# How far along the lifecycle each step takes a case, in order.
PATH = (
    "submit",
    "screen",
    "approve_sending",
    "approve_receiving",
    "verify_consent",
)
ACTOR_OF = {
    "submit": "us-case-officer",
    "screen": "us-case-officer",
    "approve_sending": "us-reviewer",
    "approve_receiving": "mx-reviewer",
    "verify_consent": "us-verifier",
}


def advance(uow: UnitOfWork, actors: Actors, case_id: int, steps: int, dates: list[date]) -> None:
    """Take the first `steps` steps of the treaty path, each on its own date."""
    for command, on in zip(PATH[:steps], dates, strict=False):
        actor = actors[ACTOR_OF[command]]
        if command == "verify_consent":
            consent.verify_consent(uow, actor, case_id, _consent(on))
        else:
            _step(uow, actor, case_id, command, on)


def _movement(
    uow: UnitOfWork,
    actors: Actors,
    departure: datetime,
    case_ids: list[int],
    *,
    sequence: int | None = None,
    until: str = "planned",
) -> int:
    officer = actors["us-case-officer"]
    movement = movements.plan(
        uow,
        officer,
        PlanMovement(
            authority="us-mx-1976",
            from_state="US",
            to_state="MX",
            seats=max(30, len(case_ids)),
            planned_departure=departure,
            sequence=sequence,
        ),
    )
    assert movement.id is not None
    for case_id in case_ids:
        movements.add_case(uow, officer, movement.id, ManifestChange(case_id=case_id))
    for command in ("lock", "depart", "confirm_arrival", "close"):
        if until == "planned" or (until == "departed" and command == "confirm_arrival"):
            break
        actor = actors["mx-case-officer" if command == "confirm_arrival" else "us-case-officer"]
        # It leaves on time and lands six hours later (a time still to come is left to now).
        at = departure + FLIGHT_TIME if command == "confirm_arrival" else departure
        at_given = at if command in ("depart", "confirm_arrival") and at <= utcnow() else None
        step = MovementStep(command=command, on=departure.date(), at=at_given)
        movements.step(uow, actor, movement.id, step)
    return movement.id


def load_batch_of_april_2025(
    uow: UnitOfWork, actors: Actors, batch: list[RecordPerson]
) -> list[int]:
    """Replay the batch of 11 April 2025 on its dates: 13 people, one completed movement."""
    # The applications came in at the start of 2025 (so the batch counts as opened in 2025,
    # the year its history starts); consent was verified eleven days before the flight.
    received = BATCH_RECEIVED
    dates = [received + timedelta(days=d) for d in (7, 14, 35, 56, 77)]
    case_ids = []
    for person in batch:
        _, case_id = _open(uow, actors, person, received)
        advance(uow, actors, case_id, len(PATH), dates)
        case_ids.append(case_id)
    _movement(uow, actors, _at(BATCH_DATE, 14), case_ids, sequence=BATCH_SEQUENCE, until="closed")
    return case_ids


def _mexican(family: str, given: str, born: date, today: date, years: float) -> RecordPerson:
    start = today - timedelta(days=730)
    return RecordPerson.model_validate(
        {
            "family_name": family,
            "given_names": given,
            "birth_date": born.isoformat(),
            "held_by_state": "US",
            "citizenships": [{"country": "MX"}],
            "sentences": [
                {
                    "offense": "Importation of a controlled substance (21 U.S.C. § 952)",
                    "offense_category": "drug_trafficking",
                    "jurisdiction": "US",
                    "start_date": start.isoformat(),
                    "length_days": 730 + int(years * 365.25),
                }
            ],
        }
    )


# One person per state of the treaty lifecycle: (family, given, born, years left, how far).
LIFECYCLE: tuple[tuple[str, str, date, float, str], ...] = (
    ("Aguilar Nava", "Ramón", date(1988, 3, 2), 6, "draft"),
    ("Bravo Téllez", "Ernesto", date(1979, 11, 20), 5, "screening"),
    ("Cervantes Ortiz", "Julián", date(1991, 6, 8), 7, "sending_review"),
    ("Domínguez Salas", "Arturo", date(1983, 1, 15), 4, "receiving_review"),
    ("Escobedo Ruiz", "Mauricio", date(1986, 9, 30), 3, "consent_verification"),
    ("Figueroa Lugo", "Gerardo", date(1977, 4, 4), 8, "approved"),
    ("Guzmán Ibarra", "Patricio", date(1993, 12, 12), 5, "scheduled"),
    ("Hinojosa Vela", "Leonel", date(1981, 7, 19), 6, "in_transit"),
    ("Islas Carrillo", "Benito", date(1989, 2, 27), 0.25, "ineligible"),
    ("Jiménez Arroyo", "Rubén", date(1984, 5, 5), 6, "denied"),
    ("Kuri Montes", "Sergio", date(1990, 8, 21), 5, "withdrawn"),
    ("Lozano Pineda", "Fabián", date(1980, 10, 10), 7, "cancelled"),
)
STEPS_TO = {
    "draft": 0,
    "screening": 1,
    "sending_review": 2,
    "receiving_review": 3,
    "consent_verification": 4,
    "approved": 5,
    "scheduled": 5,
    "in_transit": 5,
    "cancelled": 5,
}


def load_lifecycle(uow: UnitOfWork, actors: Actors, today: date) -> dict[str, int]:
    """Leave one US-to-Mexico case at every state of the treaty lifecycle; returns their ids."""
    received = today - timedelta(days=60)
    dates = [received + timedelta(days=d) for d in (5, 10, 25, 40, 55)]
    ids: dict[str, Any] = {}
    for family, given, born, years, target in LIFECYCLE:
        _, case_id = _open(uow, actors, _mexican(family, given, born, today, years), received)
        ids[target] = case_id
        if target in STEPS_TO:
            advance(uow, actors, case_id, STEPS_TO[target], dates)
        elif target == "ineligible":
            _step(uow, actors["us-case-officer"], case_id, "submit", dates[0])
            try:
                _step(uow, actors["us-case-officer"], case_id, "screen", dates[1])
            except NotEligible as refused:
                reasons = "; ".join(str(check["reason"]) for check in refused.checks)
                _step(uow, actors["us-case-officer"], case_id, "mark_ineligible", dates[1], reasons)
        elif target == "denied":
            advance(uow, actors, case_id, 3, dates)
            _step(
                uow,
                actors["mx-reviewer"],
                case_id,
                "deny",
                dates[3],
                "the receiving state's courts found no equivalent offence (demo)",
            )
        elif target == "withdrawn":
            advance(uow, actors, case_id, 2, dates)
            _step(
                uow,
                actors["us-case-officer"],
                case_id,
                "withdraw",
                dates[2],
                "the person withdrew the application in writing before the hearing (demo)",
            )
    _movement(uow, actors, _at(today, 9), [ids["in_transit"]], until="departed")
    _movement(uow, actors, _at(today + timedelta(days=14)), [ids["scheduled"]])
    hold_on = ids["cancelled"]
    case = uow.cases.get(hold_on)
    assert case is not None
    safeguards.add_hold(
        uow,
        actors["us-case-officer"],
        case.person_id,
        HoldIn.model_validate(
            {
                "kind": "habeas_pending",
                "issued_on": today.isoformat(),
                "court": "U.S. District Court (demo)",
                "reference": "habeas petition pending: transfer stayed until the court rules",
            }
        ),
    )
    return ids
