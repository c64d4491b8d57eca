"""The movements repository: what the services read and change of movements."""

from __future__ import annotations

from typing import Protocol


class Movements(Protocol):
    """Reads and changes movements inside one unit of work."""
