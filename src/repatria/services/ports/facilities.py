"""The facilities repository: what the services read and change of facilities."""

from __future__ import annotations

from typing import Protocol


class Facilities(Protocol):
    """Reads and changes facilities inside one unit of work."""
