"""A person who qualifies for a US→MX treaty transfer, and the case facts that make it so,
shared by the API, CLI and page tests that take such a case through its lifecycle."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role
from repatria.services import clock

TODAY = clock.today()
MEXICAN = {
    "family_name": "Ortega Salas",
    "given_names": "Julio",
    "birth_date": "1984-02-10",
    "held_by_state": "US",
    "citizenships": [{"country": "MX"}],
    "sentences": [
        {
            "offense": "Possession with intent to distribute",
            "offense_category": "drug_trafficking",
            "jurisdiction": "US",
            "start_date": (TODAY - timedelta(days=700)).isoformat(),
            "length_days": 3650,
        }
    ],
}
FACTS = {
    "request_received_on": (TODAY - timedelta(days=30)).isoformat(),
    "person_competent": True,
    "person_years_in_sending_state": 3,
    "person_intends_to_remain": False,
    "sentence_dual_criminality": True,
    "sentence_other_charges_pending": False,
}


def us_case_officer(container: Container) -> Principal:
    """The demo data's US case officer, as the services see them."""
    with container.uow() as uow:
        row = uow.session.execute(
            select(t.users.c.id, t.users.c.organisation_id).where(
                t.users.c.username == "us-case-officer"
            )
        ).one()
    return Principal(row.id, "us-case-officer", Role.CASE_OFFICER, row.organisation_id, "US")
