"""Demonstration data: fictional people in the real shapes of 2025's transfers and removals."""

from __future__ import annotations

from datetime import date

from repatria.domain.accounts import Principal, Role
from repatria.services import (
    accounts,
    cases,
    clock,
    demo_cases,
    demo_facilities,
    demo_law,
    passwords,
    people,
)
from repatria.services.commands import (
    CreateOrganisation,
    CreateUser,
    OpenCase,
    RecordPerson,
)
from repatria.services.unit_of_work import UnitOfWork

DEMO_PASSWORD = "repatria-demo"  # noqa: S105 - published demo logins, development only
BATCH_DATE = demo_cases.BATCH_DATE
ORGANISATIONS = (
    ("us-iptu", "United States — International Prisoner Transfer Unit (demo)", "US"),
    ("mx-transfer", "Mexico — National prisoner transfer authority (demo)", "MX"),
    ("sv-dgcp", "El Salvador — General Directorate of Prisons (demo)", "SV"),
)
# Years left on 11 April 2025 for the thirteen people of that day's batch: 75 in all.
BATCH_YEARS_LEFT = (3, 4, 5, 6, 7, 8, 4, 5, 6, 7, 8, 6, 6)
BATCH_NAMES = (
    ("Alvarado Ruiz", "Martín"),
    ("Benítez Soto", "Raúl"),
    ("Cárdenas Lima", "Jorge"),
    ("Delgado Paz", "Héctor"),
    ("Espinoza Vega", "Luis"),
    ("Fuentes Mora", "Óscar"),
    ("Gallegos Ríos", "Iván"),
    ("Herrera Cruz", "Samuel"),
    ("Ibarra Luna", "Tomás"),
    ("Juárez Peña", "Andrés"),
    ("Lara Campos", "Felipe"),
    ("Méndez Rojas", "Adrián"),
    ("Navarro León", "Emilio"),
)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, state) of every demo user."""
    return [
        (f"{state.lower()}-{role.value.replace('_', '-')}", role.value, state)
        for _, _, state in ORGANISATIONS
        for role in Role
    ]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _batch_person(index: int, years_left: int) -> RecordPerson:
    family, given = BATCH_NAMES[index]
    release = _add_years(BATCH_DATE, years_left)
    start = _add_years(BATCH_DATE, -(2 + index % 4))
    return RecordPerson.model_validate(
        {
            "family_name": family,
            "given_names": given,
            "birth_date": date(1975 + index, 1 + index % 12, 3 + index),
            "held_by_state": "US",
            "citizenships": [{"country": "MX"}],
            "identifiers": [{"scheme": "bop-register", "value": f"{40000 + index:05d}-479"}],
            "sentences": [
                {
                    "offense": "Distribution of a controlled substance (21 U.S.C. § 841)",
                    "offense_category": "drug_trafficking",
                    "jurisdiction": "US",
                    "start_date": start.isoformat(),
                    "length_days": (release - start).days,
                }
            ],
        }
    )


OTHERS = (
    (
        "inter-american-1993",
        "SV",
        {
            "family_name": "Quintanilla Ayala",
            "given_names": "Rodrigo",
            "birth_date": "1990-06-14",
            "citizenships": [{"country": "SV"}],
            "identifiers": [{"scheme": "bop-register", "value": "51234-051"}],
            "sentences": [
                {
                    "offense": "Wire fraud (18 U.S.C. § 1343)",
                    "offense_category": "fraud",
                    "jurisdiction": "US",
                    "start_date": "2022-02-01",
                    "length_days": 2190,
                }
            ],
        },
    ),
    (
        "us-removal",
        "VE",
        {
            "family_name": "Rondón Salazar",
            "given_names": "Daniel",
            "birth_date": "1995-09-30",
            "citizenships": [{"country": "VE"}],
            "identifiers": [{"scheme": "a-number", "value": "A212345678"}],
            "removal_orders": [
                {"issued_on": "2025-01-20", "final": True, "designated_countries": ["VE"]}
            ],
        },
    ),
    (
        "custody-agreement",
        "SV",
        {
            "family_name": "Portillo Méndez",
            "given_names": "Kilmer",
            "birth_date": "1996-07-24",
            "citizenships": [{"country": "SV"}],
            "identifiers": [{"scheme": "a-number", "value": "A201234567"}],
            "protection_orders": [
                {
                    "kind": "withholding",
                    "country": "SV",
                    "issued_on": "2019-10-10",
                    "issued_by": "Immigration judge (demo)",
                }
            ],
            "removal_orders": [
                {"issued_on": "2019-10-10", "final": True, "designated_countries": ["SV"]}
            ],
        },
    ),
)


def present(uow: UnitOfWork) -> bool:
    """Whether the demo data (and so its public password) is in the database."""
    return uow.accounts.organisation_by_code(ORGANISATIONS[0][0]) is not None


def load(uow: UnitOfWork) -> bool:
    """Load the demo data once; returns False (adding nothing) when it is already there."""
    if present(uow):
        return demo_facilities.load(uow)  # added in a later release: load it on its own
    operator = Principal.system("demo-loader")
    for code, name, state in ORGANISATIONS:
        accounts.create_organisation(
            uow, operator, CreateOrganisation(code=code, name=name, state=state)
        )
    users = {}
    demo_hash = passwords.hash_password(DEMO_PASSWORD)  # one argon2 run, not 21
    for (code, _, state), (username, role, _) in zip(
        [o for o in ORGANISATIONS for _ in Role], demo_logins(), strict=True
    ):
        command = CreateUser(
            username=username,
            display_name=f"{role} ({state}, demo)",
            password=DEMO_PASSWORD,
            role=Role(role),
            organisation_code=code,
        )
        users[username] = accounts.create_user(uow, operator, command, password_hash=demo_hash)
    officer = accounts.principal_of(users["us-case-officer"])
    actors = demo_cases.Actors(users)
    batch = [_batch_person(i, years) for i, years in enumerate(BATCH_YEARS_LEFT)]
    demo_cases.load_batch_of_april_2025(uow, actors, batch)
    demo_cases.load_lifecycle(uow, actors, clock.today())
    for authority, destination, facts in OTHERS:
        person = people.record(
            uow, officer, RecordPerson.model_validate({**facts, "held_by_state": "US"})
        )
        assert person.id is not None
        cases.open_case(
            uow,
            officer,
            OpenCase(
                person_id=person.id, authority=authority, from_state="US", to_state=destination
            ),
        )
    demo_facilities.load(uow)
    demo_law.load(uow, users)  # the D.V.D. stay as an amendment under review
    return True
