"""The messages repository: what the services read and change of messages."""

from __future__ import annotations

from typing import Protocol


class Messages(Protocol):
    """Reads and changes messages inside one unit of work."""
