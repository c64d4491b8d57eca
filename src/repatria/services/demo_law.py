"""The demo's amendment under review: the Supreme Court's stay of the D.V.D. injunction on
third-country removals (23 June 2025), proposed by the US legal officer, with two open
third-country removals whose verdicts it changes."""

from __future__ import annotations

from collections.abc import Mapping

from repatria.domain.accounts import User
from repatria.services import accounts, cases, people
from repatria.services.amendments import ProposeAmendment, propose
from repatria.services.commands import OpenCase, RecordPerson
from repatria.services.unit_of_work import UnitOfWork

# Encoded from the order as reported (the Court's own page was not reached from here): it
# grants the Government's application No. 24A1153 and stays the District of Massachusetts's
# preliminary injunction of 18 April 2025 pending the First Circuit appeal and any timely
# petition for certiorari, with no reasons; three Justices dissented.
DVD_STAY = """\
# The Supreme Court's stay of the D.V.D. preliminary injunction (23 June 2025).
amends: us-third-country-removal
contested:
  - court: Supreme Court of the United States
    decided_on: 2025-06-23
    holding: >-
      Granted the Government's application No. 24A1153 and stayed the preliminary
      injunction of 18 April 2025 (D.V.D. v. DHS, No. 1:25-cv-10676, D. Mass.), which had
      required written notice of the third country and a meaningful opportunity to raise a
      claim under the Convention Against Torture before a third-country removal, pending
      the appeal in the First Circuit and the disposition of a timely petition for
      certiorari; no reasons were given (Sotomayor, J., joined by Kagan and Jackson, JJ.,
      dissenting).
    citation:
      title: Department of Homeland Security v. D.V.D., No. 24A1153, 606 U.S. ___ (2025)
      article: order of 23 June 2025 granting the application for a stay
      url: https://app.midpage.ai/case/dhs-v-d-v-d-11082085
    verified: true
    source: >-
      midpage.ai (DHS v. D.V.D., No. 24A1153, 23 Jun 2025: stay granted pending appeal) and
      two casemine.com commentaries (the stay of the 18 Apr 2025 injunction runs through the
      First Circuit appeal and any Supreme Court review; Sotomayor, J., joined by Kagan and
      Jackson, JJ., dissenting). The order's own text was not read.
"""
THIRD_COUNTRY = (
    ("Márquez Ortega", "Yohan", "1994-03-12", "A219876543"),
    ("Colmenares Paz", "Wilmer", "1989-11-02", "A218765432"),
)


def load(uow: UnitOfWork, users: Mapping[str, User]) -> None:
    """Two Venezuelans with final orders naming Venezuela, to be removed to El Salvador
    (a third country), and the stay proposed by the US legal officer, under review."""
    officer = accounts.principal_of(users["us-case-officer"])
    for family, given, born, a_number in THIRD_COUNTRY:
        person = people.record(
            uow,
            officer,
            RecordPerson.model_validate(
                {
                    "family_name": family,
                    "given_names": given,
                    "birth_date": born,
                    "held_by_state": "US",
                    "citizenships": [{"country": "VE"}],
                    "identifiers": [{"scheme": "a-number", "value": a_number}],
                    "removal_orders": [
                        {"issued_on": "2025-05-02", "final": True, "designated_countries": ["VE"]}
                    ],
                }
            ),
        )
        assert person.id is not None
        cases.open_case(
            uow,
            officer,
            OpenCase(
                person_id=person.id,
                authority="us-third-country-removal",
                from_state="US",
                to_state="SV",
            ),
        )
    legal_officer = accounts.principal_of(users["us-legal-officer"])
    propose(
        uow,
        legal_officer,
        ProposeAmendment(
            title="Supreme Court stays the D.V.D. injunction (23 June 2025)",
            file_name="dvd-stay.yaml",
            text=DVD_STAY,
            reason="Every verdict on a third-country removal must cite the stay.",
        ),
    )
