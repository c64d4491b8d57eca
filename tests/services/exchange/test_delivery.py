"""Delivery (services/exchange/delivery.py): in order per peer, and a peer that cannot be
reached is tried again after delays that double, the later messages waiting behind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container, build
from repatria.domain.accounts import Principal
from repatria.services.exchange import delivery, envelopes, outbox, peers
from repatria.services.unit_of_work import utcnow
from repatria.settings import Settings, get_settings
from tests.entrypoints.api.federation import free_port
from tests.services.exchange.fakes import ExchangeStore, ExchangeUnitOfWork
from tests.services.exchange.sender import Sender

pytestmark = pytest.mark.storage  # SQLite and PostgreSQL: what it tests differs by database

OPERATOR = Principal.system("operator")


@pytest.fixture
def us(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Container]:
    """The US, with Mexico as its peer at an address where nothing listens."""
    monkeypatch.setenv("REPATRIA_EXCHANGE_STATE", "US")
    monkeypatch.setenv("REPATRIA_EXCHANGE_INTERVAL_SECONDS", "2")
    get_settings.cache_clear()
    container = build(get_settings())
    mexico = Sender(state="MX", recipient="US")
    with container.uow() as uow:
        peers.add(
            uow,
            OPERATOR,
            "MX",
            f"http://127.0.0.1:{free_port()}",
            keys=[(mexico.key.public_hex, None)],
            checkpoint_keys=[(mexico.checkpoint_public_hex, None)],
        )
        for n in range(3):
            body = {"on": "2026-12-01", "reason": f"withdrawn {n}"}
            outbox.send(uow, OPERATOR, container.settings, "MX", "withdrawal", f"R-{n}", body)
        uow.commit()
    yield container
    container.dispose()


def rows(container: Container) -> list[tuple[int, int]]:
    with container.uow(read_only=True) as uow:
        query = select(t.exchange_outbox.c.seq, t.exchange_outbox.c.attempts)
        return [tuple(r) for r in uow.session.execute(query.order_by(t.exchange_outbox.c.seq))]


def test_an_unreachable_peer_is_tried_again_after_doubling_delays_in_order(us: Container) -> None:
    start = utcnow()
    with httpx.Client(timeout=2) as client:
        report = delivery.deliver(us.uow, us.settings, client, now=lambda: start)
        assert report.delivered == 0 and "message 1" in report.failures["MX"]
        assert rows(us) == [(1, 1), (2, 0), (3, 0)]  # the later ones wait behind the first
        early = start + timedelta(seconds=1.9)
        delivery.deliver(us.uow, us.settings, client, now=lambda: early)
        assert rows(us) == [(1, 1), (2, 0), (3, 0)]  # not yet due: 2 s after the first failure
        due = start + timedelta(seconds=2)
        delivery.deliver(us.uow, us.settings, client, now=lambda: due)
        assert rows(us)[0] == (1, 2)
        with us.uow(read_only=True) as uow:
            next_try = uow.session.scalar(
                select(t.exchange_outbox.c.next_attempt_at).where(t.exchange_outbox.c.seq == 1)
            )
    assert next_try == due + timedelta(seconds=4)  # the delay doubled


def test_in_memory_each_peer_gets_its_messages_in_order_and_a_stopped_one_none(
    tmp_path: Path,
) -> None:
    """On the in-memory unit of work (tests/services/exchange/fakes.py), with the peers'
    inboxes answered by httpx's MockTransport: Mexico's inbox is busy once, then takes all."""
    key_file = tmp_path / "exchange.pem"
    key_file.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        )
    )
    settings = get_settings().model_copy(
        update={"exchange_state": "US", "exchange_key_file": key_file}
    )
    store = ExchangeStore()
    with ExchangeUnitOfWork(store) as uow:
        for state, port in (("MX", 9), ("GT", 10)):
            other = Sender(state=state, recipient="US")
            peers.add(
                uow,
                OPERATOR,
                state,
                f"http://127.0.0.1:{port}",
                keys=[(other.key.public_hex, None)],
                checkpoint_keys=[(other.checkpoint_public_hex, None)],
            )
        for state, n in (("MX", 1), ("GT", 1), ("MX", 2), ("MX", 3)):
            body = {"on": "2026-12-01", "reason": f"withdrawn {n}"}
            outbox.send(uow, OPERATOR, settings, state, "withdrawal", f"R-{state}-{n}", body)
        peers.halt(uow, OPERATOR, "GT", "GT's log was rewritten")
        uow.commit()
    posted: list[tuple[str, int]] = []

    def inbox(request: httpx.Request) -> httpx.Response:
        claims = envelopes.peek(json.loads(request.content)["envelope"]).claims
        posted.append((request.url.host + f":{request.url.port}", claims["seq"]))
        return httpx.Response(503 if len(posted) == 1 else 200, json={"result": "accepted"})

    start = utcnow()
    with httpx.Client(transport=httpx.MockTransport(inbox)) as client:
        busy = delivery.deliver(
            lambda: ExchangeUnitOfWork(store), settings, client, now=lambda: start
        )
        later = start + delivery.retry_delay(settings, 1)
        taken = delivery.deliver(
            lambda: ExchangeUnitOfWork(store), settings, client, now=lambda: later
        )
    assert (busy.delivered, list(busy.failures)) == (0, ["MX"])
    assert (taken.delivered, taken.failures) == (3, {})
    assert posted == [
        ("127.0.0.1:9", 1),
        ("127.0.0.1:9", 1),
        ("127.0.0.1:9", 2),
        ("127.0.0.1:9", 3),
    ]
    waiting = [
        (q.peer_state, q.out.seq, q.out.attempts)
        for q in store.tables.outbox
        if q.delivered_at is None
    ]
    assert waiting == [("GT", 1, 0)]  # the stopped exchange keeps its message, unsent
