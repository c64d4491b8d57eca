"""Two real Repatria servers on loopback as peers, for the end-to-end tests of the exchange:
the US on a SQLite file, Mexico on PostgreSQL, each started as `repatria serve` in its own
process with its own database, keys and witness file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import build
from repatria.domain.accounts import CredentialKind, Principal, User
from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.services import accounts, case_facts, cases, people, transitions
from repatria.services.case_facts import AssertCaseFacts
from repatria.services.commands import OpenCase, RecordPerson
from repatria.services.exchange.demo import Instance

SERVER_ENV = {
    "REPATRIA_ENV": "test",
    "REPATRIA_SECRET_KEY": "federation-test-secret",
    "REPATRIA_PASSWORD_HASH_TIME_COST": "1",
    "REPATRIA_PASSWORD_HASH_MEMORY_KIB": "64",
    "REPATRIA_REQUIRE_SECURITY_KEY_ROLES": "",
    "REPATRIA_EXCHANGE_INTERVAL_SECONDS": "0.2",
}
FACTS = {
    "person_competent": True,
    "person_years_in_sending_state": 4,
    "person_intends_to_remain": False,
    "sentence_dual_criminality": True,
    "sentence_other_charges_pending": False,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`repatria serve` for one instance, in its own process (its log in the directory)."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).parent / "repatria"), "serve"]
        log = (self.instance.directory / "server.log").open("ab")
        self.process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(self.instance.port)],
            env={**os.environ, **SERVER_ENV, **self.instance.environment()},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{self.instance.base_url}/api/v1/health", timeout=1)
                if health.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        log_text = (self.instance.directory / "server.log").read_text()[-3000:]
        raise RuntimeError(f"the {self.instance.state} server did not start:\n{log_text}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def client(instance: Instance, username: str) -> httpx.Client:
    """An API client of the instance, as a demo user (a token issued through the service)."""
    container = build(instance.settings())
    with container.uow() as uow:
        user = uow.session.scalar(select(User).where(t.users.c.username == username))
        assert user is not None, username
        _, raw = accounts.issue_credential(
            uow, Principal.system("test"), user, CredentialKind.API, "test", timedelta(days=1)
        )
        uow.commit()
    container.dispose()
    return httpx.Client(
        base_url=f"{instance.base_url}/api/v1",
        headers={"Authorization": f"Bearer {raw}"},
        timeout=60,
    )


def seed_sending_review(instance: Instance, count: int, today: date) -> list[int]:
    """`count` Mexican nationals in US custody, each with a case to Mexico at the US review
    (through the services, in this process: nothing of it is sent)."""
    container = build(instance.settings())
    with container.uow() as uow:
        user = uow.session.scalar(select(User).where(t.users.c.username == "us-case-officer"))
        assert user is not None
        officer = accounts.principal_of(user)
    ids = []
    with container.uow() as uow:
        for n in range(count):
            person = people.record(uow, officer, RecordPerson.model_validate(_person(n, today)))
            assert person.id is not None
            opened = OpenCase(
                person_id=person.id, authority="us-mx-1976", from_state="US", to_state="MX"
            )
            case = cases.open_case(uow, officer, opened)
            assert case.id is not None
            facts = {**FACTS, "request_received_on": today - timedelta(days=20)}
            case_facts.assert_facts(uow, officer, case.id, AssertCaseFacts.model_validate(facts))
            for command in ("submit", "screen"):
                transitions.take(uow, officer, case.id, transitions.Step(command, today))
            ids.append(case.id)
        uow.commit()
    container.dispose()
    return ids


def _person(n: int, today: date) -> dict[str, Any]:
    return {
        "family_name": f"Federación {n}",
        "given_names": "Prueba",
        "birth_date": "1982-05-17",
        "held_by_state": "US",
        "citizenships": [{"country": "MX"}],
        "sentences": [
            {
                "offense": "Importation of a controlled substance (21 U.S.C. § 952)",
                "offense_category": "drug_trafficking",
                "jurisdiction": "US",
                "start_date": (today - timedelta(days=400)).isoformat(),
                "length_days": 3000,
            }
        ],
    }


def hearing(today: date) -> dict[str, Any]:
    """A consent hearing at which every advisement was given and the person consented."""
    return {
        "verifier_name": "A. Magistrate",
        "verifier_role": "magistrate_judge",
        "verified_on": today.isoformat(),
        "counsel": "present",
        "advisements": dict.fromkeys(REQUIRED_ADVISEMENTS, True),
        "consents": True,
        "recording_reference": "rec-federation",
    }


def wait_for(what: str, check: Callable[[], bool], seconds: float = 120) -> None:
    """Poll until the check holds (the delivery worker runs every 0.2 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def states_of(api: httpx.Client, references: list[str]) -> dict[str, str]:
    """The state of each case with these references, as the instance shows it."""
    found: dict[str, str] = {}
    offset = 0
    while True:
        page = api.get("/cases", params={"limit": 500, "offset": offset}).json()
        for case in page["items"]:
            if case["reference"] in references:
                found[case["reference"]] = case["state"]
        offset += 500
        if offset >= page["total"]:
            return found


def case_ids(api: httpx.Client, references: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    offset = 0
    while True:
        page = api.get("/cases", params={"limit": 500, "offset": offset}).json()
        for case in page["items"]:
            if case["reference"] in references:
                found[case["reference"]] = case["id"]
        offset += 500
        if offset >= page["total"]:
            return found
