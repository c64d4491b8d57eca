"""The accounts repository: what the services read and change of accounts."""

from __future__ import annotations

from typing import Protocol


class Accounts(Protocol):
    """Reads and changes accounts inside one unit of work."""
