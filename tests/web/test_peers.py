"""The peers page and the case page: the witness of each peer's record, and a case shared
with a peer whose record failed it, say that the exchange stopped and why."""

from __future__ import annotations

from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.domain.audit_checkpoints import raw_public_key
from repatria.services.exchange import peers
from repatria.services.exchange.receiving import peer_principal

Browsers = Callable[[str | None], TestClient]


def add_mexico(container: Container) -> None:
    keys = [(raw_public_key(Ed25519PrivateKey.generate().public_key()).hex(), None)]
    with container.uow() as uow:
        peers.add(
            uow, Principal.system("operator"), "MX", "http://127.0.0.1:8001",
            keys=keys, checkpoint_keys=keys,
        )  # fmt: skip
        uow.commit()


def test_the_peers_page_shows_each_peer_and_a_broken_witness(
    browser_for: Browsers, container: Container
) -> None:
    add_mexico(container)
    page = browser_for("us-auditor").get("/peers").text
    assert 'id="peer-MX"' in page and "No checkpoint received yet" in page
    with container.uow() as uow:
        peers.halt(uow, peer_principal("MX"), "MX", "MX's log shrank: it showed 40 events, now 12")
        uow.commit()
    page = browser_for("us-auditor").get("/peers").text
    assert "Broken: the exchange stopped." in page and "shrank" in page


def test_a_case_shared_with_a_peer_whose_record_failed_says_the_exchange_stopped(
    browser_for: Browsers, container: Container
) -> None:
    with container.uow(read_only=True) as uow:
        case_id = uow.session.scalar(
            select(t.cases.c.id).where(t.cases.c.to_state == "MX", t.cases.c.state == "draft")
        )
    add_mexico(container)
    page = browser_for("us-case-officer").get(f"/cases/{case_id}").text
    assert 'id="case-peer"' in page and "works on this case in its own Repatria" in page
    with container.uow() as uow:
        peers.halt(uow, peer_principal("MX"), "MX", "MX's log was rewritten")
        uow.commit()
    page = browser_for("us-case-officer").get(f"/cases/{case_id}").text
    assert "The exchange with MX has stopped" in page and "rewritten" in page
