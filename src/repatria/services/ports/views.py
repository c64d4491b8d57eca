"""The views repository: what the services read and change of views."""

from __future__ import annotations

from typing import Protocol


class Views(Protocol):
    """Reads and changes views inside one unit of work."""
