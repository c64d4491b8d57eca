"""32 clients deciding the same cases at once, over real HTTP on loopback: one decision wins
per case, every other gets 409, nothing is lost and the record stays consistent."""

from __future__ import annotations

import random
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role, User
from repatria.services import accounts, audit_keys, audit_verify, clock, demo_cases
from repatria.services.commands import CreateUser
from tests.entrypoints.api.conftest import issue_token

# Concurrent writers are serialised differently by each database.
pytestmark = pytest.mark.storage

CLIENTS = 32
CASES = 8


@pytest.fixture
def live_url(app: object) -> Iterator[str]:
    """The application served by uvicorn on a free loopback port, in a thread."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _cases_in_sending_review(container: Container) -> list[int]:
    today = clock.today()
    with container.uow() as uow:
        users = {u.username: u for u in uow.session.scalars(select(User))}
        actors = demo_cases.Actors(users)
        ids = []
        for n in range(CASES):
            person = demo_cases._mexican(
                f"Concurrente {n}", "Prueba", date(1985, 1, 1 + n), today, 5
            )
            _, case_id = demo_cases._open(uow, actors, person, today - timedelta(days=20))
            demo_cases.advance(uow, actors, case_id, 2, [today - timedelta(days=10)] * 2)
            ids.append(case_id)
        uow.commit()
    return ids


def _reviewers(container: Container, count: int) -> list[str]:
    names = [f"us-reviewer-{n}" for n in range(count)]
    shared = accounts.hash_password("a long enough password")
    with container.uow() as uow:
        for name in names:
            accounts.create_user(
                uow,
                Principal.system("test"),
                CreateUser(
                    username=name,
                    display_name=name,
                    password="a long enough password",
                    role=Role.REVIEWER,
                    organisation_code="us-iptu",
                ),
                password_hash=shared,
            )
        uow.commit()
    return [issue_token(container, name, timedelta(hours=1)) for name in names]


def test_32_reviewers_deciding_the_same_cases_leave_one_decision_each(
    container: Container, live_url: str
) -> None:
    case_ids = _cases_in_sending_review(container)
    tokens = _reviewers(container, CLIENTS)
    start = threading.Barrier(CLIENTS)
    outcomes: list[tuple[int, int, str]] = []
    lock = threading.Lock()

    def reviewer(index: int) -> None:
        order = case_ids[:]
        random.Random(index).shuffle(order)
        command = "approve_sending" if index % 2 else "deny"
        headers = {"Authorization": f"Bearer {tokens[index]}"}
        with httpx.Client(base_url=live_url, headers=headers, timeout=60) as client:
            versions = {c: client.get(f"/api/v1/cases/{c}").json()["version"] for c in order}
            start.wait()
            for case_id in order:
                response = client.post(
                    f"/api/v1/cases/{case_id}/transitions",
                    json={
                        "command": command,
                        "reason": f"reviewer {index} decides",
                        "version": versions[case_id],
                    },
                )
                with lock:
                    outcomes.append((case_id, response.status_code, command))

    threads = [threading.Thread(target=reviewer, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = Counter(status for _, status, _ in outcomes)
    assert set(statuses) <= {200, 409}, statuses
    wins = Counter(case_id for case_id, status, _ in outcomes if status == 200)
    assert wins == dict.fromkeys(case_ids, 1)
    assert statuses[409] == CLIENTS * CASES - CASES

    with container.uow() as uow:
        decisions = Counter(
            uow.session.scalars(
                select(t.decisions.c.case_id).where(t.decisions.c.case_id.in_(case_ids))
            )
        )
        assert decisions == dict.fromkeys(case_ids, 1)
        decided = {
            row.subject_id: row.command
            for row in uow.session.execute(
                select(t.events.c.subject_id, t.events.c.command).where(
                    t.events.c.subject_type == "case",
                    t.events.c.subject_id.in_([str(c) for c in case_ids]),
                    t.events.c.command.in_(["CaseApprovedBySendingState", "CaseDenied"]),
                )
            )
        }
        assert len(decided) == CASES
        for case_id, status, command in outcomes:
            if status == 200:
                expected = "CaseApprovedBySendingState" if command != "deny" else "CaseDenied"
                assert decided[str(case_id)] == expected
        seqs = list(uow.session.scalars(select(t.events.c.seq).order_by(t.events.c.seq)))
        assert seqs == list(range(len(seqs)))
        size = uow.session.scalar(select(func.max(t.audit_log_head.c.size)))
        assert size == len(seqs)
    settings = container.settings
    with container.uow() as uow:
        report = audit_verify.verify(
            uow, settings.database_url, None, witness=audit_keys.witness_path(settings)
        )
    assert report.intact, report.finding
