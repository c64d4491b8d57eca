"""The amendments repository: what the services read and change of amendments."""

from __future__ import annotations

from typing import Protocol

from repatria.domain.amendments import LawAmendment


class Amendments(Protocol):
    """Reads and changes amendments inside one unit of work."""

    def approved(self) -> list[LawAmendment]:
        """Every approved amendment, in the order it takes effect (then of approval)."""
