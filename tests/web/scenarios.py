"""Cases brought to a given step through the services, so a page test starts where it needs."""

from __future__ import annotations

from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role, User
from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.services import (
    accounts,
    audit,
    audit_keys,
    case_facts,
    cases,
    consent,
    passwords,
    people,
    transitions,
)
from repatria.services.commands import (
    CreateUser,
    OpenCase,
    RecordPerson,
)
from tests.treaty_case import FACTS, MEXICAN, TODAY


def principal(container: Container, username: str) -> Principal:
    """The principal of a demo user."""
    with container.uow() as uow:
        user = uow.session.scalar(select(User).where(t.users.c.username == username))
        assert user is not None, username
        return accounts.principal_of(user)


def add_user(container: Container, username: str, role: Role, organisation: str) -> None:
    """Another demo-style user (password repatria-demo), made as the demo loader makes its
    users: the demo password is below the policy, so it is given as a hash."""
    with container.uow() as uow:
        command = CreateUser(
            username=username,
            display_name=f"{username} (test)",
            password="repatria-demo",
            role=role,
            organisation_code=organisation,
        )
        demo_hash = passwords.hash_password("repatria-demo")
        accounts.create_user(uow, Principal.system("test"), command, password_hash=demo_hash)
        uow.commit()


def step(container: Container, username: str, case_id: int, command: str, reason: str = "") -> None:
    """Take one lifecycle step as a demo user."""
    actor = principal(container, username)
    with container.uow() as uow:
        transitions.take(
            uow, actor, case_id, transitions.Step(command=command, on=TODAY, reason=reason)
        )
        uow.commit()


def treaty_case(container: Container, through: str = "draft") -> int:
    """A new US→MX treaty case with the engine's facts, taken up to a stage:
    draft, screened (sending review), or approved (consent verified)."""
    officer = principal(container, "us-case-officer")
    with container.uow() as uow:
        person = people.record(uow, officer, RecordPerson.model_validate(MEXICAN))
        assert person.id is not None
        case = cases.open_case(
            uow,
            officer,
            OpenCase(person_id=person.id, authority="us-mx-1976", from_state="US", to_state="MX"),
        )
        assert case.id is not None
        case_facts.assert_facts(
            uow, officer, case.id, case_facts.AssertCaseFacts.model_validate(FACTS)
        )
        uow.commit()
        case_id = case.id
    if through == "draft":
        return case_id
    step(container, "us-case-officer", case_id, "submit")
    step(container, "us-case-officer", case_id, "screen")
    if through == "screened":
        return case_id
    step(container, "us-reviewer", case_id, "approve_sending")
    step(container, "mx-reviewer", case_id, "approve_receiving")
    verify_consent(container, case_id)
    return case_id


def verify_consent(container: Container, case_id: int) -> None:
    """Record a complete consent verification hearing as the US verifier."""
    hearing = consent.RecordConsentVerification.model_validate(
        {
            "verifier_name": "Hon. A. Magistrate",
            "verifier_role": "magistrate_judge",
            "verified_on": TODAY.isoformat(),
            "counsel": "present",
            "advisements": dict.fromkeys(REQUIRED_ADVISEMENTS, True),
            "consents": True,
            "recording_reference": "CVH-2026-0042",
        }
    )
    with container.uow() as uow:
        consent.verify_consent(uow, principal(container, "us-verifier"), case_id, hearing)
        uow.commit()


def sign_checkpoint(container: Container) -> int:
    """Verify the log and sign a checkpoint of it; returns its tree size."""
    settings = container.settings
    key = audit_keys.load_signing_key(settings)
    with container.uow() as uow:
        report = audit.sign(uow, settings.database_url, key, audit_keys.witness_path(settings))
    assert report.intact, report.finding
    return report.tree_size


def demo_case(container: Container, authority: str) -> int:
    """The id of the (single) demo case under an authority other than us-mx-1976."""
    with container.uow() as uow:
        found = list(
            uow.session.scalars(select(t.cases.c.id).where(t.cases.c.authority == authority))
        )
    assert len(found) == 1, found
    return int(found[0])
