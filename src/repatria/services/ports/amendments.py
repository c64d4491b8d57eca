"""The amendments repository: what the services read and change of amendments to the law
(proposals, approvals, rejections), as the mapped domain object (domain/amendments.py)."""

from __future__ import annotations

from typing import Protocol

from repatria.domain.amendments import LawAmendment


class Amendments(Protocol):
    """Reads and changes amendments inside one unit of work."""

    def approved(self) -> list[LawAmendment]:
        """Every approved amendment, in the order it takes effect (then of approval)."""

    def get(self, amendment_id: int) -> LawAmendment | None:
        """The amendment, or None; a change to it is stored with `update`."""

    def add(self, amendment: LawAmendment) -> None:
        """Store a proposed amendment; it has its id afterwards."""

    def update(self, amendment: LawAmendment) -> None:
        """Store the changes made to the amendment now (a decision, its announcement)."""

    def listed(self, state: str | None = None) -> list[LawAmendment]:
        """Every amendment, newest proposal first; with a state, only those approved (law for
        everyone) and that state's proposals and rejections."""
