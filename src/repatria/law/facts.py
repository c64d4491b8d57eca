"""Facts an assessment needs that live in a database rather than in the document."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContextFacts:
    """Database facts for custody-agreement checks; None means not known (the check is unknown)."""

    contract_in_force: bool | None = None
    contract_has_room: bool | None = None
    standard_place_available: bool | None = None
