"""The contracts repository: what the services read and change of contracts."""

from __future__ import annotations

from typing import Protocol


class Contracts(Protocol):
    """Reads and changes contracts inside one unit of work."""
