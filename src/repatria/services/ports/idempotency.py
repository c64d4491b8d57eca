"""The idempotency repository: what the services read and change of idempotency."""

from __future__ import annotations

from typing import Protocol


class Idempotency(Protocol):
    """Reads and changes idempotency inside one unit of work."""
