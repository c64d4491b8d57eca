"""A stored verdict of the legal engine, kept so the decision can be reproduced later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(eq=False)
class Assessment:
    """One assessment: the document assessed, the verdict, and the law and engine it used."""

    requested_at: datetime
    authority: str
    from_state: str
    to_state: str
    as_of: date
    allowed: bool
    document: dict[str, Any]
    verdict: dict[str, Any]
    engine_version: str
    law_digest: str
    states: list[str]
    requested_by: int | None = None
    case_id: int | None = None
    context_facts: dict[str, Any] | None = None  # database facts the verdict used
    id: int | None = None
