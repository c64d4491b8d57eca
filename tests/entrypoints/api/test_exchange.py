"""The exchange end to end: two real servers on loopback, the US on SQLite and Mexico on
PostgreSQL, each in its own process with its own database, keys and witness file, as peers.
A batch of transfer requests crosses, is approved, travels and arrives; both records verify
and each side's witness of the other holds; faults on the way lose and double nothing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import build
from repatria.services import audit_keys, audit_verify, clock
from repatria.services.exchange import envelopes, keys, peers
from repatria.services.exchange.demo import Instance, make_keys, pair, sign_checkpoint
from tests.conftest import _fresh_url
from tests.entrypoints.api.federation import (
    Server,
    case_ids,
    client,
    free_port,
    hearing,
    seed_sending_review,
    states_of,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgresql]
BATCH = 13


@pytest.fixture
def instances(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_demo_template: Path
) -> Iterator[tuple[Instance, Instance]]:
    """The US (SQLite) and Mexico (PostgreSQL), each with the demo data, paired."""
    (tmp_path / "us").mkdir()
    shutil.copy(sqlite_demo_template, tmp_path / "us" / "repatria.sqlite3")
    us = Instance("US", f"sqlite:///{tmp_path}/us/repatria.sqlite3", tmp_path / "us", free_port())
    mx_url = _fresh_url("postgresql", request, tmp_path / "mx-db", "demo")
    mx = Instance("MX", mx_url, tmp_path / "mx", free_port())
    for instance in (us, mx):
        make_keys(instance)
        sign_checkpoint(instance, build)
    pair(us, mx, build)
    yield us, mx


@pytest.fixture
def servers(instances: tuple[Instance, Instance]) -> Iterator[tuple[Server, Server]]:
    us, mx = (Server(instance) for instance in instances)
    us.start()
    mx.start()
    yield us, mx
    us.stop()
    mx.stop()


def step(api: httpx.Client, case_id: int, command: str, reason: str = "") -> None:
    answer = api.post(f"/cases/{case_id}/transitions", json={"command": command, "reason": reason})
    assert answer.status_code == 200, answer.text


def references(instance: Instance, ids: list[int]) -> list[str]:
    container = build(instance.settings())
    with container.uow(read_only=True) as uow:
        query = select(t.cases.c.id, t.cases.c.reference).where(t.cases.c.id.in_(ids))
        found = {row.id: row.reference for row in uow.session.execute(query)}
    container.dispose()
    return [found[i] for i in ids]


def inbox_rows(instance: Instance) -> list[Any]:
    container = build(instance.settings())
    with container.uow(read_only=True) as uow:
        rows = list(
            uow.session.execute(
                select(
                    t.exchange_inbox.c.seq, t.exchange_inbox.c.kind, t.exchange_inbox.c.processed_at
                ).order_by(t.exchange_inbox.c.seq)
            )
        )
    container.dispose()
    return rows


def verify(instance: Instance) -> audit_verify.VerifyReport:
    settings = instance.settings()
    container = build(settings)
    keys = audit_keys.load_public_keys(settings)
    with container.uow(read_only=True) as uow:
        report = audit_verify.verify(
            uow,
            settings.database_url,
            keys[0],
            witness=audit_keys.witness_path(settings),
            workers=1,
        )
    container.dispose()
    return report


def peer_of(instance: Instance, state: str) -> peers.Peer:
    container = build(instance.settings())
    with container.uow(read_only=True) as uow:
        peer = peers.get(uow, state)
    container.dispose()
    return peer


def test_a_batch_goes_across_is_approved_travels_and_arrives(
    instances: tuple[Instance, Instance], servers: tuple[Server, Server]
) -> None:
    us, mx = instances
    today = clock.today()
    ids = seed_sending_review(us, BATCH, today)
    refs = references(us, ids)
    us_reviewer, us_verifier, us_officer = (
        client(us, name) for name in ("us-reviewer", "us-verifier", "us-case-officer")
    )
    mx_reviewer, mx_officer = (client(mx, name) for name in ("mx-reviewer", "mx-case-officer"))

    for case_id in ids:  # the US approves: each transfer request goes to Mexico
        step(us_reviewer, case_id, "approve_sending")
    wait_for(
        "13 requests in Mexico",
        lambda: list(states_of(mx_reviewer, refs).values()) == ["receiving_review"] * BATCH,
    )
    mx_ids = case_ids(mx_reviewer, refs)  # Mexico's own ids, linked by the reference

    for reference in refs:  # Mexico approves in its own system
        step(mx_reviewer, mx_ids[reference], "approve_receiving", "accepted by Mexico")
    wait_for(
        "the decisions in the US",
        lambda: set(states_of(us_reviewer, refs).values()) == {"consent_verification"},
    )

    for case_id in ids:  # consent verified in the US: the record goes to Mexico
        answer = us_verifier.post(f"/cases/{case_id}/consent-verification", json=hearing(today))
        assert answer.status_code == 201 and answer.json()["outcome"] == "approved", answer.text
    wait_for(
        "the consent records in Mexico",
        lambda: set(states_of(mx_officer, refs).values()) == {"approved"},
    )

    departure = datetime.now(UTC) + timedelta(minutes=5)
    plan = {
        "authority": "us-mx-1976",
        "from_state": "US",
        "to_state": "MX",
        "seats": 20,
        "planned_departure": departure.isoformat(),
    }
    movement = us_officer.post("/movements", json=plan)
    assert movement.status_code == 201, movement.text
    movement_id = movement.json()["id"]
    for case_id in ids:
        added = us_officer.post(f"/movements/{movement_id}/manifest", json={"case_id": case_id})
        assert added.status_code == 201, added.text
    for command in ("lock", "depart"):
        moved = us_officer.post(f"/movements/{movement_id}/steps", json={"command": command})
        assert moved.status_code == 200, moved.text
    wait_for(
        "the movement notices in Mexico",
        lambda: set(states_of(mx_officer, refs).values()) == {"in_transit"},
    )

    for reference in refs:  # Mexico confirms each arrival: custody passes on both sides
        step(mx_officer, mx_ids[reference], "confirm_arrival")
    wait_for(
        "the arrivals in the US", lambda: set(states_of(us_officer, refs).values()) == {"completed"}
    )

    for instance in (us, mx):
        container = build(instance.settings())
        with container.uow(read_only=True) as uow:
            held = set(
                uow.session.scalars(
                    select(t.people.c.held_by_state)
                    .join(t.cases, t.cases.c.person_id == t.people.c.id)
                    .where(t.cases.c.reference.in_(refs))
                )
            )
        container.dispose()
        assert held == {"MX"}, instance.state
    # every message crossed once, in order, and was acted on
    assert [r.seq for r in inbox_rows(mx)] == list(range(1, 3 * BATCH + 1))
    assert [r.seq for r in inbox_rows(us)] == list(range(1, 2 * BATCH + 1))
    assert all(r.processed_at is not None for r in inbox_rows(mx) + inbox_rows(us))
    # both records verify; each side's witness of the other holds as both records grow
    sizes = {instance.state: sign_checkpoint(instance, build) for instance in (us, mx)}
    for instance in (us, mx):
        assert verify(instance).finding is None, instance.state
    [extra] = seed_sending_review(us, 1, today)
    [extra_ref] = references(us, [extra])
    step(us_reviewer, extra, "approve_sending")
    wait_for(
        "one more request",
        lambda: states_of(mx_reviewer, [extra_ref]) == {extra_ref: "receiving_review"},
    )
    step(mx_reviewer, case_ids(mx_reviewer, [extra_ref])[extra_ref], "approve_receiving", "yes")
    wait_for(
        "its decision",
        lambda: states_of(us_reviewer, [extra_ref]) == {extra_ref: "consent_verification"},
    )
    for instance, other in ((us, "MX"), (mx, "US")):
        peer = peer_of(instance, other)
        assert peer.witness_status == "holding", (instance.state, peer.halted_reason)
        assert peer.witnessed_size == sizes[other]


def outbox_rows(instance: Instance) -> list[Any]:
    container = build(instance.settings())
    with container.uow(read_only=True) as uow:
        rows = list(
            uow.session.execute(select(t.exchange_outbox).order_by(t.exchange_outbox.c.seq))
        )
    container.dispose()
    return rows


def refusals(instance: Instance) -> list[Any]:
    container = build(instance.settings())
    with container.uow(read_only=True) as uow:
        query = select(t.events).where(t.events.c.command == "ExchangeMessageRefused")
        rows = list(uow.session.execute(query.order_by(t.events.c.id)))
    container.dispose()
    return rows


def test_a_peer_stopped_mid_delivery_and_restarted_gets_everything_once_in_order(
    instances: tuple[Instance, Instance], servers: tuple[Server, Server]
) -> None:
    us, mx = instances
    _, mexico = servers
    ids = seed_sending_review(us, BATCH, clock.today())
    refs = references(us, ids)
    us_reviewer = client(us, "us-reviewer")
    for n, case_id in enumerate(ids):
        if n == 4:
            mexico.stop()  # Mexico goes down while the US keeps approving
        step(us_reviewer, case_id, "approve_sending")
    wait_for("a failed delivery", lambda: any(r.attempts > 0 for r in outbox_rows(us)))
    assert any(r.delivered_at is None for r in outbox_rows(us))
    mexico.start()
    mx_reviewer = client(mx, "mx-reviewer")
    wait_for(
        "every request in Mexico",
        lambda: list(states_of(mx_reviewer, refs).values()) == ["receiving_review"] * BATCH,
    )
    rows = inbox_rows(mx)
    assert [r.seq for r in rows] == list(range(1, BATCH + 1))  # none lost, none doubled
    wait_for("the outbox emptied", lambda: all(r.delivered_at for r in outbox_rows(us)))
    container = build(mx.settings())
    with container.uow(read_only=True) as uow:
        opened = uow.session.execute(
            select(t.events.c.subject_id, t.events.c.recorded_at)
            .where(t.events.c.command == "CaseReceivedFromPeer")
            .order_by(t.events.c.seq)
        ).all()
        received = [
            uow.session.scalar(select(t.cases.c.reference).where(t.cases.c.id == int(row[0])))
            for row in opened
        ]
    container.dispose()
    assert received == refs  # acted on in the order the US approved them


def test_duplicates_tampering_replays_and_wrong_keys_over_http_are_refused_and_recorded(
    instances: tuple[Instance, Instance], servers: tuple[Server, Server]
) -> None:
    us, mx = instances
    ids = seed_sending_review(us, 1, clock.today())
    step(client(us, "us-reviewer"), ids[0], "approve_sending")
    wait_for("the delivery", lambda: all(r.delivered_at for r in outbox_rows(us)))
    [sent] = outbox_rows(us)
    inbox = f"{mx.base_url}/api/v1/exchange/inbox"

    again = httpx.post(inbox, json={"envelope": sent.envelope})
    assert (again.status_code, again.json()["result"]) == (200, "duplicate")

    claims = envelopes.peek(sent.envelope).claims
    header, _, signature = sent.envelope.split(".")
    altered = {**claims, "body": {**claims["body"], "sending_approved_on": "2020-01-01"}}
    payload = envelopes.sign(altered, keys.ExchangeKey(Ed25519PrivateKey.generate())).split(".")[1]
    tampered = httpx.post(inbox, json={"envelope": f"{header}.{payload}.{signature}"})
    assert tampered.status_code == 403 and "bad_signature" in tampered.json()["detail"]

    replay = {**claims, "id": "0" * 32}
    key = keys.load_exchange_key(us.settings())
    answer = httpx.post(inbox, json={"envelope": envelopes.sign(replay, key)})
    assert answer.status_code == 409 and "replay" in answer.json()["detail"]

    impostor = keys.ExchangeKey(Ed25519PrivateKey.generate())
    forged = {**claims, "id": "1" * 32, "seq": 2}
    answer = httpx.post(inbox, json={"envelope": envelopes.sign(forged, impostor)})
    assert answer.status_code == 403 and "unknown_key" in answer.json()["detail"]

    grounds = [r.after["ground"] for r in refusals(mx)]
    assert grounds == ["bad_signature", "replay", "unknown_key"]
    assert [r.seq for r in inbox_rows(mx)] == [1]  # nothing refused was kept or acted on
    assert len(states_of(client(mx, "mx-reviewer"), [claims["case_reference"]])) == 1


def test_a_peer_that_rewrote_its_log_is_caught_and_the_exchange_with_it_stops(
    instances: tuple[Instance, Instance], servers: tuple[Server, Server], tmp_path: Path
) -> None:
    us, mx = instances
    united_states, _ = servers
    today = clock.today()
    us_file = Path(us.database_url.removeprefix("sqlite:///"))
    fork_file = tmp_path / "fork.sqlite3"
    _backup(us_file, fork_file)  # the record as Mexico has already seen it witnessed
    # The US's record grows, is checkpointed, and Mexico witnesses it through the next message.
    first, second = seed_sending_review(us, 2, today)
    reviewer = client(us, "us-reviewer")
    step(reviewer, first, "approve_sending")
    wait_for("the first delivery", lambda: all(r.delivered_at for r in outbox_rows(us)))
    witnessed = sign_checkpoint(us, build)
    step(reviewer, second, "approve_sending")
    wait_for("the second delivery", lambda: all(r.delivered_at for r in outbox_rows(us)))
    assert peer_of(mx, "US").witnessed_size == witnessed
    # Someone rewrites the US's record from before that checkpoint: a different history, longer,
    # with the outbox kept (so its messages go on in sequence) and the witness file replaced,
    # then signs a checkpoint of it with the genuine key.
    united_states.stop()
    fork = Instance("US", f"sqlite:///{fork_file}", us.directory, us.port)
    seed_sending_review(fork, 6, today)
    _copy_outbox(us, fork)
    _backup(fork_file, us_file)
    Path(us.settings().audit_witness_file or "").unlink()
    assert sign_checkpoint(us, build) > witnessed
    united_states.start()
    [third] = seed_sending_review(us, 1, today)
    step(client(us, "us-reviewer"), third, "approve_sending")
    wait_for("Mexico's refusal", lambda: any(r.last_error for r in outbox_rows(us)))
    peer = peer_of(mx, "US")
    assert peer.witness_status == "broken" and "rewritten" in (peer.halted_reason or "")
    grounds = [r.after["ground"] for r in refusals(mx)]
    assert grounds[0] == "witness" and set(grounds[1:]) <= {"peer_halted"}  # then its retries
    assert len(inbox_rows(mx)) == 2  # the message from the rewritten record was not taken
    listed = subprocess.run(
        [str(Path(sys.executable).parent / "repatria"), "peers", "list"],
        env={**os.environ, **mx.environment()},
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 1 and "broken" in listed.stdout


def _backup(source: Path, target: Path) -> None:
    """Copy a SQLite database into another, page by page (SQLite's backup), closing both: the
    target's write-ahead log then holds nothing of what it held before."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _copy_outbox(source: Instance, target: Instance) -> None:
    rows = [dict(r._mapping) for r in outbox_rows(source)]
    container = build(target.settings())
    with container.engine.begin() as connection:
        connection.execute(t.exchange_outbox.insert(), rows)
    container.dispose()
