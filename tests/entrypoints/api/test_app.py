"""The served application: more writers at once than a worker has threads all get their turn.

A worker runs at most `REPATRIA_THREADS` routes at once in its thread pool (api.app
.limit_threads). A writer waiting for its turn (WriterGate) waits in one of those threads; had
another writer taken the turn in one hop to the pool and needed a second hop to give it back,
with every thread waiting for that turn, none would move until the gate's 30-second timeout.
Forms, API commands and Idempotency-Key lookups are served here, many at once, on two threads.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container, build
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import security
from tests.entrypoints.api.conftest import issue_token

# The writers' turns and the key's uniqueness meet each database's own locking.
pytestmark = pytest.mark.storage
WRITERS = 12  # of each kind: forms, API commands with an Idempotency-Key


@pytest.fixture
def database_content() -> str:
    return "demo"


@pytest.fixture
def two_threads(app: FastAPI, container: Container) -> Iterator[Container]:
    """The test's database, served with two threads a worker."""
    narrow = build(container.settings.model_copy(update={"threads": 2}))
    app.state.container = narrow
    yield narrow
    app.state.container = container
    narrow.dispose()


@pytest.fixture
def served(app: FastAPI, two_threads: Container) -> Iterator[str]:
    """uvicorn on a free loopback port, in a thread, with the application's lifespan (which
    sets the worker's threads)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _people(container: Container) -> int:
    with container.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(t.people)) or 0)


def test_more_writers_than_threads_all_get_their_turn(served: str, two_threads: Container) -> None:
    session = issue_token(two_threads, "us-case-officer", timedelta(hours=1))
    token = issue_token(two_threads, "us-case-officer", timedelta(hours=1))
    seed = security.new_seed()
    csrf = security.csrf_token(two_threads.settings.secret_key, seed, session)
    before = _people(two_threads)

    def by_form(n: int) -> int:
        cookies = {SESSION_COOKIE: session, security.CSRF_COOKIE: seed}
        form = {
            "family_name": f"Formulario {n}",
            "given_names": "Prueba",
            "citizenship": "MX",
            security.CSRF_FIELD: csrf,
        }
        with httpx.Client(base_url=served, cookies=cookies, timeout=60) as client:
            return client.post("/people", data=form).status_code

    def by_api(n: int) -> int:
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"writer-{n}"}
        body: dict[str, Any] = {
            "family_name": f"Api {n}",
            "given_names": "Prueba",
            "held_by_state": "US",
            "citizenships": [{"country": "MX"}],
        }
        with httpx.Client(base_url=served, headers=headers, timeout=60) as client:
            return client.post("/api/v1/people", json=body).status_code

    began = time.monotonic()
    with ThreadPoolExecutor(2 * WRITERS) as pool:
        forms = [pool.submit(by_form, n) for n in range(WRITERS)]
        commands = [pool.submit(by_api, n) for n in range(WRITERS)]
        statuses = [f.result() for f in forms], [c.result() for c in commands]
    took = time.monotonic() - began

    assert statuses == ([303] * WRITERS, [201] * WRITERS)
    assert _people(two_threads) == before + 2 * WRITERS
    # Each waits only for the writers before it (milliseconds each), never for a timeout.
    assert took < 10, f"{2 * WRITERS} writers on two threads took {took:.1f} s"


def test_requests_sent_together_under_one_key_act_once(served: str, two_threads: Container) -> None:
    """The key is looked up outside the command's transaction: one that finds nothing yet
    acts, and all but the first to commit are refused by the key's uniqueness (409, nothing
    changed) or, arriving after it, answered with its stored answer."""
    token = issue_token(two_threads, "us-case-officer", timedelta(hours=1))
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "the-same-key"}
    body = {
        "family_name": "Una Vez",
        "given_names": "Prueba",
        "held_by_state": "US",
        "citizenships": [{"country": "MX"}],
    }
    before = _people(two_threads)

    def send(_: int) -> tuple[int, Any]:
        with httpx.Client(base_url=served, headers=headers, timeout=60) as client:
            answer = client.post("/api/v1/people", json=body)
            return answer.status_code, answer.json()

    with ThreadPoolExecutor(WRITERS) as pool:
        answers = list(pool.map(send, range(WRITERS)))

    assert _people(two_threads) == before + 1
    created = [found for status, found in answers if status == 201]
    assert created and all(found == created[0] for found in created)  # the one answer, replayed
    assert {status for status, _ in answers} <= {201, 409}
