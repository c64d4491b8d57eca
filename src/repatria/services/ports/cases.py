"""The cases repository: what the services read and change of cases."""

from __future__ import annotations

from typing import Protocol


class Cases(Protocol):
    """Reads and changes cases inside one unit of work."""
