"""The peers repository: what the services read and change of peers."""

from __future__ import annotations

from typing import Protocol


class Peers(Protocol):
    """Reads and changes peers inside one unit of work."""
