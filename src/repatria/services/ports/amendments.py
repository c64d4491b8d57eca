"""The amendments repository: what the services read and change of amendments."""

from __future__ import annotations

from typing import Protocol


class Amendments(Protocol):
    """Reads and changes amendments inside one unit of work."""
