"""The people repository: what the services read and change of people."""

from __future__ import annotations

from typing import Protocol


class People(Protocol):
    """Reads and changes people inside one unit of work."""
