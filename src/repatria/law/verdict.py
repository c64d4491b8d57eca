"""The engine's verdict: one check per rule, and allowed only when every check passes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Outcome = Literal["pass", "fail", "unknown", "waived"]
PASSING: frozenset[str] = frozenset({"pass", "waived"})  # a waived condition counts as met


@dataclass(frozen=True)
class Check:
    """The outcome of one rule, with its ground, its reason and its citation."""

    rule: str
    ground: str
    outcome: Outcome
    reason: str
    citation: str
    verified: bool = True  # false where the rule or a value it used is not verified
    basis: str = "law"  # "policy" where it rests on agency policy; "project": a default

    def to_json(self) -> dict[str, Any]:
        """The check as DESIGN.md §4 prints it (`verified` and `basis` only where not plain
        verified law)."""
        found: dict[str, Any] = {
            "rule": self.rule,
            "ground": self.ground,
            "outcome": self.outcome,
            "reason": self.reason,
            "citation": self.citation,
        }
        if not self.verified:
            found["verified"] = False
        if self.basis != "law":
            found["basis"] = self.basis
        return found


@dataclass(frozen=True)
class Verdict:
    """Allowed or not, as of a date, and why, rule by rule."""

    authority: str
    as_of: date
    checks: tuple[Check, ...]
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        """True only when there is at least one check and every check passes or is waived."""
        return bool(self.checks) and all(check.outcome in PASSING for check in self.checks)

    @property
    def grounds(self) -> list[str]:
        """The sorted grounds of every check that did not pass."""
        return sorted({check.ground for check in self.checks if check.outcome not in PASSING})

    def to_json(self) -> dict[str, Any]:
        """The verdict as DESIGN.md §4 prints it (extra keys are optional additions)."""
        return {
            "allowed": self.allowed,
            "authority": self.authority,
            "as_of": self.as_of.isoformat(),
            "checks": [check.to_json() for check in self.checks],
            **self.extras,
        }
