"""Delivery that loses nothing: the outbox is posted to each peer's inbox in sequence order,
one message after another; a failure leaves the message (and every later one to that peer)
for a retry after a delay that doubles with each attempt. Run by a background thread of the
server (`DeliveryWorker`) and by `repatria exchange deliver` (cron)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from repatria.services.unit_of_work import UnitOfWork, utcnow
from repatria.settings import Settings

INBOX_PATH = "/api/v1/exchange/inbox"
MAX_DELAY_SECONDS = 300.0
BATCH = 100  # messages read from the outbox at a time (each is still marked on its own)
log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one pass delivered, and what failed (per peer: the first message that did)."""

    delivered: int = 0
    failures: dict[str, str] = field(default_factory=dict)


def retry_delay(settings: Settings, attempts: int) -> timedelta:
    """How long after its n-th failed attempt a message is tried again: doubling, capped."""
    seconds = settings.exchange_interval_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, MAX_DELAY_SECONDS))


def deliver(
    units: Callable[[], UnitOfWork],
    settings: Settings,
    client: httpx.Client,
    *,
    now: Callable[[], datetime] = utcnow,
) -> DeliveryReport:
    """One pass over every peer whose exchange is not stopped: post its due messages in order
    until one fails or none is left."""
    report = DeliveryReport()
    with units() as uow:
        peers = uow.peers.reachable()
    for state, base_url in peers:
        while _deliver_due(units, settings, client, state, base_url, report, now):
            pass
    return report


def _deliver_due(
    units: Callable[[], UnitOfWork],
    settings: Settings,
    client: httpx.Client,
    state: str,
    base_url: str,
    report: DeliveryReport,
    now: Callable[[], datetime],
) -> bool:
    """Post the peer's next due messages in order (read a batch at a time); whether more may
    be due (False once one failed or none is left)."""
    with units() as uow:
        batch = uow.messages.undelivered(state, BATCH)
    for message in batch:
        if message.next_attempt_at > now():
            return False
        error = _post(client, base_url, message.envelope)
        with units() as uow:
            if error is None:
                uow.messages.delivered(message.id, now())
            else:
                attempts = message.attempts + 1
                uow.messages.failed(
                    message.id,
                    attempts=attempts,
                    next_attempt_at=now() + retry_delay(settings, attempts),
                    error=error[:2000],
                )
            uow.commit()
        if error is not None:
            report.failures[state] = f"message {message.seq}: {error}"
            return False
        report.delivered += 1
    return len(batch) == BATCH


def _post(client: httpx.Client, base_url: str, envelope: str) -> str | None:
    """None when the peer took the message (accepted, held or already had it), else why not."""
    try:
        response = client.post(base_url + INBOX_PATH, json={"envelope": envelope})
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if response.status_code in (200, 202):
        return None
    return f"{response.status_code}: {response.text[:500]}"


class DeliveryWorker:
    """The server's background thread that delivers the outbox every few seconds (never on
    the event loop: its HTTP calls and database work block only this thread)."""

    def __init__(self, units: Callable[[], UnitOfWork], settings: Settings) -> None:
        self._units, self._settings = units, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="exchange-delivery", daemon=True)

    def start(self) -> None:
        """Begin delivering."""
        self._thread.start()

    def stop(self) -> None:
        """Finish the pass under way and stop."""
        self._stop.set()
        self._thread.join(timeout=15)

    def _run(self) -> None:
        with httpx.Client(timeout=10.0) as client:
            while not self._stop.is_set():
                try:
                    deliver(self._units, self._settings, client)
                except Exception:  # a pass that failed is tried again; the outbox keeps all
                    log.exception("exchange delivery pass failed")
                self._stop.wait(self._settings.exchange_interval_seconds)
