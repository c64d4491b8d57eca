"""Every route, every role, own and other state, API and pages, generated from the route table.

Each route the application serves must have its rule below, written from the brief's access
policy rather than read from the code:
- a user reads what involves their own state; auditors read every state's records and change
  nothing; a record outside the caller's scope answers 404, so its existence does not leak;
- a role that may not act answers 403 (or 404, when the record is out of its scope as well);
- without credentials the API answers 401 and a page sends the browser to sign in.

A route added without a rule, or a rule left behind by a removed route, fails
`test_every_route_has_a_rule`. Each rule is then tried on a fresh copy of the demo database
(with the few records the demo lacks, made once for the module) by a user of
each of the 8 roles from each kind of state the rule tells apart (the US, Mexico and El
Salvador: one whose users act, one whose users only see, one that does not see the record),
and by an anonymous caller; those refused go first and must record nothing. Authorization
does not depend on storage, so this runs on SQLite only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container, build
from repatria.domain.accounts import CredentialKind, Principal, Role, User
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import security
from repatria.services import accounts, clock
from repatria.services.demo import demo_logins
from repatria.settings import get_settings
from tests.conftest import repatria_environment

BASE_URL = "https://testserver"
USERS = [(username, Role(role), state) for username, role, state in demo_logins()]
EVERY_ROLE = frozenset(Role)
STATES = frozenset({"US", "MX", "SV"})  # the demo's states: each has all eight roles

CO, REV, VER, FAC, FIN, LAW, AUD, ADM = (
    Role.CASE_OFFICER,
    Role.REVIEWER,
    Role.VERIFIER,
    Role.FACILITY_ADMIN,
    Role.FINANCE,
    Role.LEGAL_OFFICER,
    Role.AUDITOR,
    Role.ADMIN,
)


# --- the records the rules name ----------------------------------------------------------------


@dataclass
class Demo:
    """Ids (and a few values) of demo records, looked up in the fresh database."""

    ids: dict[str, int | str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> int | str:
        return self.ids[name]


def _id(container: Container, column: Any, *where: Any) -> int:
    """The first value of the column where the conditions hold (there must be one)."""
    with container.engine.connect() as connection:
        value = connection.scalar(select(column).where(*where).order_by(column).limit(1))
    assert value is not None, f"the demo has no {column} where {where}"
    return int(value)


def demo_records(container: Container) -> Demo:
    """The records the rules' paths and bodies name, found by what they are, not by id."""
    c, m = t.cases.c, t.movements.c
    ve_person = _id(container, t.identifiers.c.person_id, t.identifiers.c.value == "A212345678")
    sv_person = _id(container, t.identifiers.c.person_id, t.identifiers.c.value == "A201234567")
    draft = _id(container, c.id, c.state == "draft", c.to_state == "MX")
    hold = _id(container, t.holds.c.id, t.holds.c.lifted_on.is_(None))
    found: dict[str, int | str] = {
        "ve_person": ve_person,  # held by the US, to be removed to Venezuela: US and VE only
        "ve_case": _id(container, c.id, c.person_id == ve_person),
        "sv_person": sv_person,  # US → El Salvador, with a withholding order against it
        "draft": draft,  # US → Mexico
        "approved": _id(container, c.id, c.state == "approved", c.to_state == "MX"),
        "consent_case": _id(container, c.id, c.state == "consent_verification"),
        "consented": _id(container, c.id, c.state == "approved", c.to_state == "MX"),
        "planned": _id(container, m.id, m.state == "planned"),
        "closed": _id(container, m.id, m.state == "closed"),
        "cecot": _id(container, t.facilities.c.id, t.facilities.c.code == "cecot"),
        "contract": _id(container, t.custody_contracts.c.id),
        "stay": _id(container, t.stays.c.id, t.stays.c.release.is_(None)),
        "hold": hold,
        "hold_person": _id(container, t.holds.c.person_id, t.holds.c.id == hold),
        "order": _id(
            container, t.protection_orders.c.id, t.protection_orders.c.person_id == sv_person
        ),
        "assessment": _id(  # one made for a US → Mexico case
            container, t.assessments.c.id, t.assessments.c.to_state == "MX"
        ),
        "event": _id(container, t.events.c.id),  # the first event: it involves the US alone
        "clerk": _id(container, t.users.c.id, t.users.c.username == "us-clerk"),
        "today": clock.today().isoformat(),
    }
    for name, table in (
        ("draft", t.cases),
        ("consent_case", t.cases),
        ("ve_person", t.people),
        ("planned", t.movements),
    ):
        found[f"{name}_version"] = _id(container, table.c.version, table.c.id == found[name])
    return Demo(found)


# --- the rules ---------------------------------------------------------------------------------

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed-in"  # any signed-in user, every role


@dataclass(frozen=True)
class Rule:
    """Who may call a route, and which states' users it is in scope for.

    `who` is PUBLIC, SIGNED_IN or a set of roles. `sees` are the states whose users may see the
    record the path names (None: every state); users of other states get 404 (auditors read
    everything). `acts` narrows, among those, the states whose users of an allowed role may act
    (None: all who see): the others get 403. `path` and `body` fill the route from the demo.
    """

    who: str | frozenset[Role]
    path: Callable[[Demo], dict[str, Any]] = lambda d: {}
    sees: Callable[[Demo], frozenset[str]] | None = None
    acts: Callable[[Demo], frozenset[str]] | None = None
    body: Callable[[Demo], dict[str, Any]] | None = None
    query: Callable[[Demo], dict[str, Any]] | None = None
    # An exceptional rule the fields above cannot say: (role, state) -> statuses accepted.
    expect: Callable[[Role, str, str], set[int]] | None = None


def states(*codes: str) -> Callable[[Demo], frozenset[str]]:
    return lambda d: frozenset(codes)


def roles(*given: Role) -> frozenset[Role]:
    return frozenset(given)


def ids(**names: str) -> Callable[[Demo], dict[str, Any]]:
    """Path parameters from demo record names: ids(case_id='draft')."""
    return lambda d: {param: d[name] for param, name in names.items()}


GROUNDS = {"reason": "the court so ordered", "legal_basis": "Order of 1 Dec 2026, No. 1"}
# A security key's answer to a challenge nobody was given.
KEY_ANSWER = {"challenge_id": 1, "credential": "{}"}


def person_body(d: Demo) -> dict[str, Any]:
    return {"family_name": "Matrix", "given_names": "Test", "held_by_state": "US"}


def sentence_free_case(d: Demo) -> dict[str, Any]:
    return {
        "person_id": d["ve_person"],
        "authority": "us-removal",
        "from_state": "US",
        "to_state": "VE",
    }


def facts(d: Demo) -> dict[str, Any]:
    return {"person_competent": True}


def consent(d: Demo) -> dict[str, Any]:
    return {
        "verifier_name": "A. Verifier",
        "verifier_role": "magistrate_judge",
        "verified_on": d["today"],
        "counsel": "present",
        "advisements": {},
        "consents": True,
        "recording_reference": "rec-1",
    }


def notice(d: Demo) -> dict[str, Any]:
    return {
        "served_at": f"{d['today']}T10:00:00Z",
        "language_understood": True,
        "explains_how_to_contest": True,
        "country": "VE",
    }


AMENDMENT = """\
amends: coe-ets-112
parties:
  - state: CO
    from: 2025-01-01
    verified: true
    source: the authorization matrix
    citation: {title: "Ley 2999 de 2024", article: "Art. 1"}
"""


def amendment_body(d: Demo) -> dict[str, Any]:
    return {"title": "Colombia accedes", "file_name": "colombia.yaml", "text": AMENDMENT}


def decides_amendment(role: Role, state: str, method: str) -> set[int]:
    """The US legal officer proposed it: the US administrator decides; the proposer may not
    (four eyes); deciding roles of other states do not see it; other roles may not decide."""
    if (role, state) == (ADM, "US"):
        return {200}
    if role in (LAW, ADM):
        return {403} if state == "US" else {404}
    return {403, 404}


def movement_plan(d: Demo) -> dict[str, Any]:
    return {
        "authority": "us-mx-1976",
        "from_state": "US",
        "to_state": "MX",
        "seats": 20,
        "planned_departure": f"{d['today']}T12:00:00Z",
    }


def facility_body(state: str) -> Callable[[Demo], dict[str, Any]]:
    return lambda d: {"code": f"f-{uuid.uuid4().hex[:8]}", "name": "A wing", "state": state}


def contract_body(d: Demo) -> dict[str, Any]:
    return {
        "reference": f"c-{uuid.uuid4().hex[:8]}",
        "payer_state": "US",
        "host_state": "SV",
        "fee_basis": "lump_sum",
        "fee": "1000.00",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "funding_source": "a grant",
    }


def allocation(d: Demo) -> dict[str, Any]:
    return {
        "on": d["today"],
        "arrivals": [{"person_id": d["sv_person"], "security_level": "max"}],
        "dry_run": True,
    }


def assessment_document(d: Demo) -> dict[str, Any]:
    return {"authority": "us-mx-1976", "from": "US", "to": "MX", "as_of": d["today"]}


# Case and movement routes: US and Mexico see the draft case and the planned movement.
US_MX = states("US", "MX")
US_SV = states("US", "SV")
US_VE = states("US", "VE")
US = states("US")
SV = states("SV")
READ_ALL = SIGNED_IN

API = "/api/v1"
RULES: dict[tuple[str, str], Rule] = {
    # Public: the service's health, the state machines, signing in and out.
    ("GET", f"{API}/health"): Rule(PUBLIC),
    ("GET", f"{API}/lifecycles"): Rule(PUBLIC),
    ("POST", f"{API}/auth/login"): Rule(
        PUBLIC, body=lambda d: {"username": uuid.uuid4().hex, "password": "not the password"}
    ),
    ("POST", f"{API}/auth/logout"): Rule(PUBLIC),
    # Changing one's password authenticates by the password it is given.
    ("POST", f"{API}/auth/password"): Rule(
        PUBLIC,
        body=lambda d: {
            "username": uuid.uuid4().hex,
            "current_password": "not the password",
            "new_password": "a-long-new-password",
        },
    ),
    # One's own account and tokens: everyone.
    ("POST", f"{API}/auth/logout-everywhere"): Rule(SIGNED_IN),
    ("GET", f"{API}/auth/me"): Rule(SIGNED_IN),
    ("GET", f"{API}/tokens"): Rule(SIGNED_IN),
    ("POST", f"{API}/tokens"): Rule(SIGNED_IN, body=lambda d: {"name": "matrix"}),
    # A token is revoked by its owner (not a demo client here) or by an administrator of the
    # owner's state; to anyone else it does not exist.
    ("DELETE", f"{API}/tokens/{{token_id}}"): Rule(
        roles(ADM),
        path=ids(token_id="clerk_token"),
        sees=US,
        expect=lambda r, s, m: {200} if (r, s) == (ADM, "US") else {404},
    ),
    # Organisations: listed to everyone signed in; created only by the operator (CLI).
    ("GET", f"{API}/organisations"): Rule(SIGNED_IN),
    ("POST", f"{API}/organisations"): Rule(
        frozenset(), body=lambda d: {"code": "org-x", "name": "Org", "state": "GT"}
    ),
    # Users: an administrator manages its own state's users (others: 404).
    ("GET", f"{API}/users"): Rule(roles(ADM)),
    ("POST", f"{API}/users"): Rule(
        roles(ADM),
        acts=US,
        body=lambda d: {
            "username": f"new-{uuid.uuid4().hex[:6]}",
            "display_name": "New user",
            "password": "a-long-new-password",
            "role": "case_officer",
            "organisation_code": "us-iptu",
        },
    ),
    ("PATCH", f"{API}/users/{{user_id}}"): Rule(
        roles(ADM), path=ids(user_id="clerk"), sees=US, body=lambda d: {"role": "reviewer"}
    ),
    ("GET", f"{API}/users/{{user_id}}/tokens"): Rule(
        roles(ADM), path=ids(user_id="clerk"), sees=US
    ),
    ("POST", f"{API}/users/{{user_id}}/deactivate"): Rule(
        roles(ADM), path=ids(user_id="clerk"), sees=US, body=lambda d: {}
    ),
    ("POST", f"{API}/users/{{user_id}}/reactivate"): Rule(
        roles(ADM), path=ids(user_id="clerk"), sees=US, body=lambda d: {}
    ),
    ("POST", f"{API}/users/{{user_id}}/reset-password"): Rule(
        roles(ADM), path=ids(user_id="clerk"), sees=US
    ),
    # People: case officers of the state holding the person record and correct them.
    ("POST", f"{API}/people"): Rule(roles(CO), acts=US, body=person_body),
    ("GET", f"{API}/people"): Rule(READ_ALL),
    ("GET", f"{API}/people/{{person_id}}"): Rule(
        READ_ALL, path=ids(person_id="ve_person"), sees=US_VE
    ),
    ("PATCH", f"{API}/people/{{person_id}}"): Rule(
        roles(CO),
        path=ids(person_id="ve_person"),
        sees=US_VE,
        acts=US,
        body=lambda d: {"given_names": "D."},
    ),
    ("POST", f"{API}/people/{{person_id}}/holds"): Rule(
        roles(CO),
        path=ids(person_id="ve_person"),
        sees=US_VE,
        acts=US,
        body=lambda d: {"kind": "habeas_pending", "issued_on": d["today"]},
    ),
    ("POST", f"{API}/people/{{person_id}}/protection-orders"): Rule(
        roles(CO),
        path=ids(person_id="ve_person"),
        sees=US_VE,
        acts=US,
        body=lambda d: {"kind": "withholding", "country": "VE", "issued_on": d["today"]},
    ),
    ("POST", f"{API}/people/{{person_id}}/holds/{{hold_id}}/lift"): Rule(
        roles(CO),
        path=ids(person_id="hold_person", hold_id="hold"),
        sees=US_MX,
        acts=US,
        body=lambda d: {"lifted_on": d["today"], **GROUNDS},
    ),
    ("POST", f"{API}/people/{{person_id}}/protection-orders/{{order_id}}/terminate"): Rule(
        roles(CO),
        path=ids(person_id="sv_person", order_id="order"),
        sees=US_SV,
        acts=US,
        body=lambda d: {"terminated_on": d["today"], **GROUNDS},
    ),
    ("POST", f"{API}/people/{{person_id}}/fear-claims/{{claim_id}}/decide"): Rule(
        roles(CO),
        path=ids(person_id="ve_person", claim_id="fear_claim"),
        sees=US_VE,
        acts=US,
        body=lambda d: {"outcome": "denied", "decided_on": d["today"], **GROUNDS},
    ),
    # Cases.
    ("POST", f"{API}/cases"): Rule(roles(CO), acts=US, body=sentence_free_case),
    ("GET", f"{API}/cases"): Rule(READ_ALL),
    ("GET", f"{API}/cases/overdue"): Rule(READ_ALL),
    ("GET", f"{API}/cases/{{case_id}}"): Rule(READ_ALL, path=ids(case_id="draft"), sees=US_MX),
    ("GET", f"{API}/cases/{{case_id}}/timeline"): Rule(
        READ_ALL, path=ids(case_id="draft"), sees=US_MX
    ),
    ("GET", f"{API}/cases/{{case_id}}/deadlines"): Rule(
        READ_ALL, path=ids(case_id="draft"), sees=US_MX
    ),
    # The sending state's case officer submits a draft.
    ("POST", f"{API}/cases/{{case_id}}/transitions"): Rule(
        roles(CO),
        path=ids(case_id="draft"),
        sees=US_MX,
        acts=US,
        body=lambda d: {"command": "submit"},
    ),
    ("POST", f"{API}/cases/{{case_id}}/consent-verification"): Rule(
        roles(VER), path=ids(case_id="consent_case"), sees=US_MX, acts=US, body=consent
    ),
    ("PUT", f"{API}/cases/{{case_id}}/facts"): Rule(
        roles(CO), path=ids(case_id="draft"), sees=US_MX, acts=US, body=facts
    ),
    ("POST", f"{API}/cases/{{case_id}}/notices"): Rule(
        roles(CO), path=ids(case_id="ve_case"), sees=US_VE, acts=US, body=notice
    ),
    ("POST", f"{API}/cases/{{case_id}}/fear-claims"): Rule(
        roles(CO),
        path=ids(case_id="ve_case"),
        sees=US_VE,
        acts=US,
        body=lambda d: {"raised_on": d["today"]},
    ),
    # Assessments: recorded by the case-working roles of the movement's two states.
    ("POST", f"{API}/assessments"): Rule(roles(CO, REV, VER), acts=US_MX, body=assessment_document),
    ("GET", f"{API}/assessments/{{assessment_id}}"): Rule(
        READ_ALL, path=ids(assessment_id="assessment"), sees=US_MX
    ),
    # Amendments to the law: legal officers propose; a legal officer or administrator of the
    # proposer's state, not the proposer, decides; a proposal is its state's (and auditors').
    ("GET", f"{API}/law/amendments"): Rule(READ_ALL),
    ("POST", f"{API}/law/amendments"): Rule(roles(LAW), body=amendment_body),
    ("GET", f"{API}/law/amendments/{{amendment_id}}"): Rule(
        READ_ALL, path=ids(amendment_id="amendment"), sees=US
    ),
    ("GET", f"{API}/law/amendments/{{amendment_id}}/impact"): Rule(
        READ_ALL, path=ids(amendment_id="amendment"), sees=US
    ),
    ("POST", f"{API}/law/amendments/{{amendment_id}}/decision"): Rule(
        roles(LAW, ADM),
        path=ids(amendment_id="amendment"),
        sees=US,
        body=lambda d: {"approve": False, "reason": "not yet published"},
        expect=decides_amendment,
    ),
    # Movements: the sending state's case officers plan and run them; both states read.
    ("POST", f"{API}/movements"): Rule(roles(CO), acts=US, body=movement_plan),
    ("GET", f"{API}/movements"): Rule(READ_ALL),
    ("GET", f"{API}/movements/{{movement_id}}"): Rule(
        READ_ALL, path=ids(movement_id="planned"), sees=US_MX
    ),
    ("POST", f"{API}/movements/{{movement_id}}/manifest"): Rule(
        roles(CO),
        path=ids(movement_id="planned"),
        sees=US_MX,
        acts=US,
        body=lambda d: {"case_id": d["approved"]},
    ),
    ("POST", f"{API}/movements/{{movement_id}}/steps"): Rule(
        roles(CO),
        path=ids(movement_id="planned"),
        sees=US_MX,
        acts=US,
        body=lambda d: {"command": "lock"},
    ),
    ("GET", f"{API}/movements/{{movement_id}}/manifest.csv"): Rule(
        READ_ALL, path=ids(movement_id="planned"), sees=US_MX
    ),
    ("GET", f"{API}/movements/{{movement_id}}/savings"): Rule(
        READ_ALL, path=ids(movement_id="closed"), sees=US_MX
    ),
    ("GET", f"{API}/movements/{{movement_id}}/savings.csv"): Rule(
        READ_ALL, path=ids(movement_id="closed"), sees=US_MX
    ),
    # The record's checkpoints and proofs: auditors, and administrators for their own state's
    # events (the first event involves the US alone).
    ("GET", f"{API}/audit/checkpoints"): Rule(roles(AUD, ADM)),
    ("GET", f"{API}/audit/checkpoints/{{size}}/consistency"): Rule(
        roles(AUD, ADM), path=ids(size="checkpoint"), query=lambda d: {"from": 1}
    ),
    ("GET", f"{API}/audit/events/{{event_id}}/proof"): Rule(
        roles(AUD, ADM), path=ids(event_id="event"), sees=US
    ),
    # The exchange between peer states: trusted by a pinned key's signature, not by a user, so
    # open to anyone; this installation takes part in no exchange, so it refuses (409).
    ("POST", f"{API}/exchange/inbox"): Rule(
        PUBLIC, body=lambda d: {"envelope": "a.b.c"}, expect=lambda r, s, m: {409}
    ),
    # Facilities: their state's facility administrators run them; the states whose people
    # they hold under a contract read them.
    ("GET", f"{API}/facilities"): Rule(READ_ALL),
    ("POST", f"{API}/facilities"): Rule(roles(FAC), acts=SV, body=facility_body("SV")),
    ("GET", f"{API}/facilities/{{facility_id}}"): Rule(
        READ_ALL, path=ids(facility_id="cecot"), sees=US_SV
    ),
    ("GET", f"{API}/facilities/{{facility_id}}/occupancy"): Rule(
        READ_ALL, path=ids(facility_id="cecot"), sees=US_SV
    ),
    ("GET", f"{API}/facilities/{{facility_id}}/forecast"): Rule(
        READ_ALL, path=ids(facility_id="cecot"), sees=US_SV
    ),
    ("POST", f"{API}/facilities/{{facility_id}}/stays/{{stay_id}}/release"): Rule(
        roles(FAC),
        path=ids(facility_id="cecot", stay_id="stay"),
        sees=US_SV,
        acts=SV,
        body=lambda d: {"on": d["today"]},
    ),
    ("POST", f"{API}/facilities/{{facility_id}}/allocations"): Rule(
        roles(FAC), path=ids(facility_id="cecot"), sees=US_SV, acts=SV, body=allocation
    ),
    # Custody contracts: finance staff of the paying or hosting state.
    ("POST", f"{API}/contracts"): Rule(roles(FIN), acts=US_SV, body=contract_body),
    ("GET", f"{API}/contracts"): Rule(READ_ALL),
    ("GET", f"{API}/contracts/{{contract_id}}"): Rule(
        READ_ALL, path=ids(contract_id="contract"), sees=US_SV
    ),
    ("GET", f"{API}/contracts/{{contract_id}}/invoices"): Rule(
        READ_ALL, path=ids(contract_id="contract"), sees=US_SV
    ),
    ("GET", f"{API}/contracts/{{contract_id}}/invoices/{{month}}"): Rule(
        READ_ALL, path=lambda d: {"contract_id": d["contract"], "month": "2025-06"}, sees=US_SV
    ),
    ("GET", f"{API}/contracts/{{contract_id}}/invoices/{{month}}.csv"): Rule(
        READ_ALL, path=lambda d: {"contract_id": d["contract"], "month": "2025-06"}, sees=US_SV
    ),
    # --- pages: the same rules, in a browser ----------------------------------------------
    ("GET", "/"): Rule(PUBLIC),
    ("GET", "/login"): Rule(PUBLIC),
    ("POST", "/login"): Rule(
        PUBLIC, body=lambda d: {"username": uuid.uuid4().hex, "password": "not the password"}
    ),
    ("POST", "/logout"): Rule(PUBLIC),
    # Signing in through an organisation's identity provider: the matrix's installation names
    # none, so each answers the sign-in page saying so (404); tests/web/browser/test_oidc.py.
    ("GET", "/login/oidc/{organisation}"): Rule(
        PUBLIC, path=lambda d: {"organisation": "us-iptu"}, expect=lambda r, s, m: {404}
    ),
    ("GET", "/login/oidc/{organisation}/callback"): Rule(
        PUBLIC, path=lambda d: {"organisation": "us-iptu"}, expect=lambda r, s, m: {404}
    ),
    # The second step of signing in (a security key or a recovery code): without a pending
    # sign-in (the password's cookie) each sends the browser back to the login page.
    ("GET", "/login/security-key"): Rule(PUBLIC),
    ("POST", "/login/security-key/options"): Rule(PUBLIC),
    ("POST", "/login/security-key"): Rule(PUBLIC, body=lambda d: KEY_ANSWER),
    ("POST", "/login/security-key/register"): Rule(
        PUBLIC, body=lambda d: {**KEY_ANSWER, "name": "matrix"}
    ),
    ("POST", "/login/security-key/recovery"): Rule(
        PUBLIC, body=lambda d: {"code": "abcd-efgh-jkmn-pqrs"}
    ),
    ("GET", "/law"): Rule(PUBLIC),
    ("GET", "/law/{authority_id}"): Rule(PUBLIC, path=lambda d: {"authority_id": "us-mx-1976"}),
    ("GET", "/law/amendments"): Rule(SIGNED_IN),
    ("POST", "/law/amendments"): Rule(roles(LAW), body=amendment_body),
    ("GET", "/law/amendments/{amendment_id}"): Rule(
        READ_ALL, path=ids(amendment_id="amendment"), sees=US
    ),
    ("POST", "/law/amendments/{amendment_id}/decision"): Rule(
        roles(LAW, ADM),
        path=ids(amendment_id="amendment"),
        sees=US,
        body=lambda d: {"decision": "reject", "reason": "not yet published"},
        expect=lambda r, s, m: {303} if (r, s) == (ADM, "US") else decides_amendment(r, s, m),
    ),
    ("GET", "/statistics"): Rule(PUBLIC),
    ("GET", "/statistics.csv"): Rule(PUBLIC),
    ("GET", "/statistics/transfers.svg"): Rule(PUBLIC),
    ("GET", "/static/{name}"): Rule(PUBLIC, path=lambda d: {"name": "repatria.css"}),
    # Changing a password authenticates by the password given (a forced change comes here).
    ("GET", "/account/password"): Rule(PUBLIC),
    ("POST", "/account/password"): Rule(
        PUBLIC,
        body=lambda d: {
            "username": uuid.uuid4().hex,
            "current_password": "not the password",
            "new_password": "a-long-new-password",
            "new_password_again": "a-long-new-password",
        },
    ),
    ("GET", "/dashboard"): Rule(SIGNED_IN),
    ("GET", "/account"): Rule(SIGNED_IN),
    ("POST", "/account/tokens"): Rule(SIGNED_IN, body=lambda d: {"name": "matrix"}),
    ("POST", "/account/tokens/{token_id}/revoke"): Rule(
        roles(ADM),
        path=ids(token_id="clerk_token"),
        sees=US,
        expect=lambda r, s, m: {200} if (r, s) == (ADM, "US") else {404},
    ),
    ("POST", "/account/sign-out-everywhere"): Rule(SIGNED_IN),
    # The header's language switch works signed out too; the account page saves a preference.
    ("POST", "/language"): Rule(PUBLIC, body=lambda d: {"language": "es", "next": "/"}),
    ("GET", "/language/{language}"): Rule(PUBLIC, path=lambda d: {"language": "es"}),
    ("POST", "/account/language"): Rule(SIGNED_IN, body=lambda d: {"language": "es"}),
    # One's own security keys: the demo's users have none, so a key's id names nobody's.
    ("POST", "/account/security-keys/options"): Rule(SIGNED_IN),
    ("POST", "/account/security-keys"): Rule(
        SIGNED_IN, body=lambda d: {**KEY_ANSWER, "name": "matrix"}
    ),
    ("POST", "/account/security-keys/{key_id}/remove"): Rule(
        SIGNED_IN, path=lambda d: {"key_id": 1}, expect=lambda r, s, m: {404}
    ),
    ("POST", "/account/recovery-codes"): Rule(SIGNED_IN),
    ("GET", "/admin"): Rule(roles(ADM)),
    ("POST", "/admin/organisations"): Rule(
        frozenset(), body=lambda d: {"code": "org-x", "name": "Org", "state": "GT"}
    ),
    ("POST", "/admin/users"): Rule(
        roles(ADM),
        acts=US,
        body=lambda d: {
            "username": f"new-{uuid.uuid4().hex[:6]}",
            "display_name": "New user",
            "password": "a-long-new-password",
            "role": "case_officer",
            "organisation_code": "us-iptu",
        },
    ),
    ("GET", "/admin/users/{user_id}"): Rule(roles(ADM), path=ids(user_id="clerk"), sees=US),
    ("POST", "/admin/users/{user_id}/deactivate"): Rule(
        roles(ADM), path=ids(user_id="clerk"), sees=US
    ),
    ("POST", "/admin/users/{user_id}/reactivate"): Rule(
        roles(ADM), path=ids(user_id="clerk"), sees=US
    ),
    ("POST", "/admin/users/{user_id}/reset-password"): Rule(
        roles(ADM), path=ids(user_id="clerk"), sees=US
    ),
    ("POST", "/admin/users/{user_id}/tokens/{token_id}/revoke"): Rule(
        roles(ADM), path=ids(user_id="clerk", token_id="clerk_token"), sees=US
    ),
    ("GET", "/people"): Rule(READ_ALL),
    ("GET", "/people/{person_id}"): Rule(READ_ALL, path=ids(person_id="ve_person"), sees=US_VE),
    # The web records a person held by the officer's own state, and plans a movement from it.
    ("POST", "/people"): Rule(
        roles(CO),
        body=lambda d: {"family_name": "Matrix", "given_names": "Test", "citizenship": "MX"},
    ),
    ("POST", "/people/{person_id}"): Rule(
        roles(CO),
        path=ids(person_id="ve_person"),
        sees=US_VE,
        acts=US,
        body=lambda d: {
            "version": d["ve_person_version"],
            "family_name": "Doe",
            "given_names": "D.",
        },
    ),
    ("POST", "/people/{person_id}/holds"): Rule(
        roles(CO),
        path=ids(person_id="ve_person"),
        sees=US_VE,
        acts=US,
        body=lambda d: {"kind": "habeas_pending", "issued_on": d["today"]},
    ),
    ("POST", "/people/{person_id}/protection-orders"): Rule(
        roles(CO),
        path=ids(person_id="ve_person"),
        sees=US_VE,
        acts=US,
        body=lambda d: {"kind": "withholding", "country": "VE", "issued_on": d["today"]},
    ),
    ("GET", "/cases"): Rule(READ_ALL),
    ("GET", "/cases/{case_id}"): Rule(READ_ALL, path=ids(case_id="draft"), sees=US_MX),
    ("GET", "/cases/{case_id}/summary.pdf"): Rule(READ_ALL, path=ids(case_id="draft"), sees=US_MX),
    ("GET", "/cases/{case_id}/consent.pdf"): Rule(
        READ_ALL, path=ids(case_id="consented"), sees=US_MX
    ),
    ("POST", "/cases"): Rule(roles(CO), acts=US, body=sentence_free_case),
    ("POST", "/cases/{case_id}/steps"): Rule(
        roles(CO),
        path=ids(case_id="draft"),
        sees=US_MX,
        acts=US,
        body=lambda d: {"command": "submit", "version": d["draft_version"]},
    ),
    ("POST", "/cases/{case_id}/consent-verification"): Rule(
        roles(VER),
        path=ids(case_id="consent_case"),
        sees=US_MX,
        acts=US,
        body=lambda d: {
            **consent(d),
            "given_by": "person",
            "consents": "yes",
            "version": d["consent_case_version"],
        },
    ),
    ("POST", "/cases/{case_id}/facts"): Rule(
        roles(CO), path=ids(case_id="draft"), sees=US_MX, acts=US, body=facts
    ),
    ("POST", "/cases/{case_id}/notices"): Rule(
        roles(CO),
        path=ids(case_id="ve_case"),
        sees=US_VE,
        acts=US,
        body=lambda d: {
            "served_at": f"{d['today']}T10:00",
            "language_understood": "yes",
            "explains_how_to_contest": "yes",
            "country": "VE",
        },
    ),
    ("POST", "/cases/{case_id}/fear-claims"): Rule(
        roles(CO),
        path=ids(case_id="ve_case"),
        sees=US_VE,
        acts=US,
        body=lambda d: {"raised_on": d["today"]},
    ),
    ("GET", "/assessments/new"): Rule(SIGNED_IN),  # a form; recording is the POST's rule
    ("POST", "/assessments"): Rule(
        roles(CO, REV, VER),
        acts=US_MX,
        body=lambda d: {"document": json.dumps(assessment_document(d))},
    ),
    ("GET", "/assessments/{assessment_id}"): Rule(
        READ_ALL, path=ids(assessment_id="assessment"), sees=US_MX
    ),
    ("GET", "/movements"): Rule(READ_ALL),
    # The header's search: anyone signed in, among what their state may see.
    ("GET", "/search"): Rule(READ_ALL, query=lambda d: {"q": "US-MX"}),
    ("GET", "/movements/{movement_id}"): Rule(
        READ_ALL, path=ids(movement_id="planned"), sees=US_MX
    ),
    ("GET", "/movements/{movement_id}/manifest.pdf"): Rule(
        READ_ALL, path=ids(movement_id="planned"), sees=US_MX
    ),
    # The step before recording a departure: the sending state's case officers only.
    ("GET", "/movements/{movement_id}/depart"): Rule(
        roles(CO), path=ids(movement_id="planned"), sees=US_MX, acts=US
    ),
    ("POST", "/movements"): Rule(
        roles(CO),
        body=lambda d: {
            "authority": "us-mx-1976",
            "to_state": "MX",
            "seats": 20,
            "planned_departure": f"{d['today']}T12:00",
        },
    ),
    ("POST", "/movements/{movement_id}/manifest"): Rule(
        roles(CO),
        path=ids(movement_id="planned"),
        sees=US_MX,
        acts=US,
        body=lambda d: {"case_id": d["approved"]},
    ),
    ("POST", "/movements/{movement_id}/steps"): Rule(
        roles(CO),
        path=ids(movement_id="planned"),
        sees=US_MX,
        acts=US,
        body=lambda d: {"command": "lock", "version": d["planned_version"]},
    ),
    ("GET", "/record"): Rule(roles(AUD, ADM)),
    # Asking for a signed checkpoint (the signing command signs it): the record's readers; it
    # changes no case, so auditors may ask too.
    ("POST", "/record/checkpoint-requests"): Rule(
        roles(AUD, ADM), body=lambda d: {"reason": "the matrix asks"}
    ),
    # Browsing the record's events, filtered: the record's readers, within their scope.
    ("GET", "/record/events"): Rule(roles(AUD, ADM), query=lambda d: {"subject": "case"}),
    ("GET", "/peers"): Rule(roles(AUD, ADM)),  # the peer states and the witness of each
    ("GET", "/record/proof"): Rule(roles(AUD, ADM), sees=US, query=lambda d: {"event": d["event"]}),
    ("GET", "/record/events/{event_id}/proof"): Rule(
        roles(AUD, ADM), path=ids(event_id="event"), sees=US
    ),
    ("GET", "/record/consistency"): Rule(
        roles(AUD, ADM), query=lambda d: {"size": d["checkpoint"], "from": 1}
    ),
    ("GET", "/facilities"): Rule(READ_ALL),
    ("GET", "/facilities/new"): Rule(roles(FAC)),
    ("POST", "/facilities"): Rule(
        roles(FAC),
        body=lambda d: {
            "code": f"f-{uuid.uuid4().hex[:8]}",
            "name": "A wing",
            "cells": "u1, Unit 1, c, 1, 20, 2, 4, max, shared",
        },
    ),
    ("GET", "/facilities/{facility_id}"): Rule(READ_ALL, path=ids(facility_id="cecot"), sees=US_SV),
    ("GET", "/facilities/{facility_id}/stays"): Rule(
        READ_ALL, path=ids(facility_id="cecot"), sees=US_SV
    ),
    ("GET", "/facilities/{facility_id}/occupancy.svg"): Rule(
        READ_ALL, path=ids(facility_id="cecot"), sees=US_SV
    ),
    ("GET", "/facilities/{facility_id}/allocations/new"): Rule(
        roles(FAC), path=ids(facility_id="cecot"), sees=US_SV, acts=SV
    ),
    ("POST", "/facilities/{facility_id}/allocations"): Rule(
        roles(FAC),
        path=ids(facility_id="cecot"),
        sees=US_SV,
        acts=SV,
        body=lambda d: {"on": d["today"], "arrivals": f"{d['sv_person']}, max", "dry_run": "yes"},
    ),
    ("POST", "/facilities/{facility_id}/stays/{stay_id}/release"): Rule(
        roles(FAC),
        path=ids(facility_id="cecot", stay_id="stay"),
        sees=US_SV,
        acts=SV,
        body=lambda d: {"on": d["today"]},
    ),
    ("GET", "/contracts"): Rule(READ_ALL),
    ("GET", "/contracts/{contract_id}"): Rule(
        READ_ALL, path=ids(contract_id="contract"), sees=US_SV
    ),
    # Marking a month's invoice paid: the paying state's finance officers.
    ("POST", "/contracts/{contract_id}/invoices/{month}/payment"): Rule(
        roles(FIN),
        path=lambda d: {"contract_id": d["contract"], "month": d["today"][:7]},
        sees=US_SV,
        acts=US,
        body=lambda d: {"paid_on": d["today"], "reference": "TR-1"},
    ),
    ("GET", "/contracts/{contract_id}/invoices/{month}.pdf"): Rule(
        READ_ALL,
        path=lambda d: {"contract_id": d["contract"], "month": d["today"][:7]},
        sees=US_SV,
    ),
    ("POST", "/contracts"): Rule(roles(FIN), acts=US_SV, body=contract_body),
    ("GET", "/savings"): Rule(READ_ALL),
    ("GET", "/savings.svg"): Rule(READ_ALL),
}


# --- calling a route as a user -----------------------------------------------------------------


def fill(path: str, values: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"{path}: the rule gives no value for {{{name}}}"
        return str(values[name])

    return re.sub(r"\{([^}]+)\}", value, path)


def expected(rule: Rule, role: Role | None, state: str | None, method: str, d: Demo) -> set[int]:
    """The statuses the rule allows for this caller (None: anonymous)."""
    ok = {200} if method == "GET" else {200, 201, 204, 303, 409, 422}
    if rule.who == PUBLIC:
        if rule.expect is not None and role is not None and state is not None:
            return rule.expect(role, state, method)
        # signing in may refuse the password, and throttle the client after many refusals
        return ok | {401, 429} if method != "GET" else {200, 303}
    if role is None or state is None:
        return {401}
    if rule.expect is not None:
        return rule.expect(role, state, method)
    reads = method == "GET"
    seen = rule.sees is None or state in rule.sees(d) or (role is Role.AUDITOR and reads)
    allowed = rule.who == SIGNED_IN or (isinstance(rule.who, frozenset) and role in rule.who)
    if not allowed:
        return {403} if seen else {403, 404}
    if not seen:
        return {404}
    if rule.acts is not None and state not in rule.acts(d):
        return {403}
    return ok


def test_every_route_has_a_rule(app: Any) -> None:
    served = {
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    missing = sorted(served - RULES.keys())
    stale = sorted(RULES.keys() - served)
    assert not missing, f"routes without an authorization rule: {missing}"
    assert not stale, f"rules for routes the application no longer serves: {stale}"


def _clerk(container: Container) -> int:
    """A US case officer no demo client signs in as; the id of a token of its own."""
    from repatria.services.commands import CreateUser

    with container.uow() as uow:
        user = accounts.create_user(
            uow,
            Principal.system("test"),
            CreateUser(
                username="us-clerk",
                display_name="US clerk",
                password="a-long-clerk-password",
                role=Role.CASE_OFFICER,
                organisation_code="us-iptu",
            ),
        )
        credential, _ = accounts.issue_credential(
            uow, Principal.system("test"), user, CredentialKind.API, "clerk", timedelta(days=1)
        )
        uow.commit()
        assert credential.id is not None
        return credential.id


def _tokens(container: Container) -> dict[str, str]:
    """A bearer token for each demo user, issued straight through the service."""
    raw: dict[str, str] = {}
    with container.uow() as uow:
        for username, _, _ in USERS:
            user = uow.session.scalar(select(User).where(t.users.c.username == username))
            assert user is not None
            _, raw[username] = accounts.issue_credential(
                uow,
                Principal.system("test"),
                user,
                CredentialKind.SESSION,
                "matrix",
                timedelta(days=1),
            )
        uow.commit()
    return raw


@dataclass
class World:
    client: TestClient
    container: Container
    demo: Demo
    tokens: dict[str, str]


@dataclass(frozen=True)
class Prepared:
    """The demo database with what the rules name besides the demo, made once for the module:
    each test works on a copy of its files (database, signing keys, witness)."""

    directory: Path
    ids: dict[str, int | str]
    tokens: dict[str, str]


FILES = ("repatria.sqlite3", "audit-key.pem", "audit-ed25519.pub", "audit-witness.log")


def _environment(directory: Path) -> dict[str, str]:
    """What the `settings` fixture gives a test, on the files in `directory`, with the key."""
    return {
        **repatria_environment(f"sqlite:///{directory / FILES[0]}", directory),
        "REPATRIA_AUDIT_KEY_FILE": str(directory / FILES[1]),
        "REPATRIA_AUDIT_PUBLIC_KEY_FILE": str(directory / FILES[2]),
    }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, sqlite_demo_template: Path) -> Prepared:
    """A US clerk with a token of its own, a fear claim, a signed checkpoint (with its key and
    witness), an amendment under review, and a session token for each demo user, on the demo
    data: made once, as building them for each of the 160 tests took most of its time."""
    directory = tmp_path_factory.mktemp("matrix")
    shutil.copy(sqlite_demo_template, directory / FILES[0])
    _write_audit_key(directory / FILES[1], directory / FILES[2])
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("REPATRIA_")]:
            patch.delenv(name)
        for name, value in _environment(directory).items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        container = build(get_settings())
        try:
            clerk_token = _clerk(container)
            demo = demo_records(container)
            demo.ids["clerk_token"] = clerk_token
            demo.ids["fear_claim"] = _fear_claim(container, int(demo["ve_case"]))
            demo.ids["checkpoint"] = _checkpoint(container)
            demo.ids["amendment"] = _amendment(container)
            tokens = _tokens(container)
        finally:
            container.dispose()
            get_settings.cache_clear()
    return Prepared(directory, demo.ids, tokens)


@pytest.fixture
def database_url(prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the prepared files, which the test's settings point at."""
    for name in FILES:
        shutil.copy(prepared.directory / name, tmp_path / name)
    environment = _environment(tmp_path)
    for name in ("REPATRIA_AUDIT_KEY_FILE", "REPATRIA_AUDIT_PUBLIC_KEY_FILE"):
        monkeypatch.setenv(name, environment[name])
    return environment["REPATRIA_DATABASE_URL"]


@pytest.fixture
def world(app: Any, container: Container, prepared: Prepared) -> World:
    client = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    return World(client, container, Demo(dict(prepared.ids)), prepared.tokens)


def _write_audit_key(private: Path, public: Path) -> None:
    """A signing key, so the record's checkpoints and proofs can be served."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    private.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    public.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )


def _fear_claim(container: Container, case_id: int) -> int:
    from repatria.services import fear_claims
    from repatria.services.fear_claims import RaiseFearClaim

    with container.uow() as uow:
        principal = _principal(uow, "us-case-officer")
        fear_claims.add_fear_claim(
            uow, principal, case_id, RaiseFearClaim.model_validate({"raised_on": clock.today()})
        )
        uow.commit()
    return _id(container, t.fear_claims.c.id, t.fear_claims.c.case_id == case_id)


def _amendment(container: Container) -> int:
    """A proposal of the US legal officer, under review."""
    from repatria.services import amendments
    from repatria.services.amendments import ProposeAmendment

    with container.uow() as uow:
        principal = _principal(uow, "us-legal-officer")
        found = amendments.propose(
            uow, principal, ProposeAmendment(title="Colombia", text=AMENDMENT)
        )
        uow.commit()
    assert found.id is not None
    return found.id


def _checkpoint(container: Container) -> int:
    """Sign a checkpoint of the record, as the operator's `repatria audit checkpoint` does."""
    from repatria.services import audit, audit_keys

    settings = container.settings
    with container.uow() as uow:
        report = audit.sign(
            uow,
            settings.database_url,
            audit_keys.load_signing_key(settings),
            audit_keys.witness_path(settings),
            start_witness=True,
            workers=1,
        )
        uow.commit()
    assert report.finding is None, report.finding
    return report.tree_size


def _principal(uow: Any, username: str) -> Principal:
    user = uow.session.scalar(select(User).where(t.users.c.username == username))
    assert user is not None and user.organisation is not None
    return Principal(
        user.id, user.username, user.role, user.organisation_id, user.organisation.state
    )


def call(world: World, method: str, path: str, rule: Rule, username: str | None) -> Any:
    """Call the route as the user: a bearer token for the API, a session cookie (and the CSRF
    token of its seed) for pages."""
    concrete = fill(path, rule.path(world.demo))
    body = rule.body(world.demo) if rule.body else None
    query = rule.query(world.demo) if rule.query else None
    client = world.client
    client.cookies.clear()
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {world.tokens[username]}"} if username else {}
        return client.request(method, concrete, json=body, headers=headers, params=query)
    session = world.tokens[username] if username else None
    seed = security.new_seed()
    client.cookies.set(security.CSRF_COOKIE, seed)
    if session:
        client.cookies.set(SESSION_COOKIE, session)
    if method == "GET":
        return client.get(concrete, params=query)
    token = security.csrf_token(world.container.settings.secret_key, seed, session)
    form = {key: _form_value(value) for key, value in (body or {}).items()}
    return client.request(method, concrete, data={**form, security.CSRF_FIELD: token})


def _form_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


@pytest.mark.parametrize(("method", "path"), sorted(RULES))
def test_route_answers_each_role_of_each_state_as_its_rule_says(
    world: World, method: str, path: str
) -> None:
    rule = RULES[(method, path)]
    callers = [*representatives(rule, world.demo), (None, None, None)]
    allowed_to = [u for u in callers if expected(rule, u[1], u[2], method, world.demo) & {200, 201}]
    # Those refused go first, and must leave the record as it was; then those allowed.
    refused = [u for u in callers if u not in allowed_to]
    wrong: dict[tuple[int, str], list[str]] = {}
    before = _events(world.container)
    for username, role, state in [*refused, *allowed_to]:
        if (username, role, state) == next(iter(allowed_to), None) and rule.who != PUBLIC:
            changed = _events(world.container) - before
            if changed:
                wrong.setdefault((0, f"refused callers recorded {changed} events"), []).append("-")
        response = call(world, method, path, rule, username)
        got = response.status_code
        if path.startswith("/api/") or role is not None:
            allowed = expected(rule, role, state, method, world.demo)
            if got not in allowed:
                key = (got, f"expected {sorted(allowed)}: {response.text[:100]}")
                wrong.setdefault(key, []).append(username or "anonymous")
        elif rule.who != PUBLIC and not signs_in(response):
            wrong.setdefault((got, "expected a redirect to sign in"), []).append("anonymous")
    assert not wrong, "\n".join(f"{got} for {users}, {why}" for (got, why), users in wrong.items())


def representatives(rule: Rule, d: Demo) -> list[tuple[str, Role, str]]:
    """A user of each role for each kind of state the rule tells apart: a state whose users may
    act, one whose users only see the record, one whose users do not see it."""
    chosen: dict[tuple[Role, bool | None, bool | None], tuple[str, Role, str]] = {}
    for username, role, state in USERS:
        kind = (
            state in rule.sees(d) if rule.sees else None,
            state in rule.acts(d) if rule.acts else None,
        )
        chosen.setdefault((role, *kind), (username, role, state))
    return list(chosen.values())


def _events(container: Container) -> int:
    """The events in the record, but for failed sign-ins and lockouts (recorded on purpose)."""
    with container.engine.connect() as connection:
        counted = connection.scalar(
            select(func.count())
            .select_from(t.events)
            .where(t.events.c.command.not_in(("FailSignIn", "LockOutSignIn")))
        )
    return int(counted or 0)


def signs_in(response: Any) -> bool:
    """A page refused to an anonymous browser: sent to sign in (or refused outright)."""
    location = response.headers.get("location", "")
    return (response.status_code == 303 and "/login" in location) or response.status_code in {
        401,
        403,
    }
