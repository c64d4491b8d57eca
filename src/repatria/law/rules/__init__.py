"""The checks rule data may name, registered by name when this package is imported."""

from __future__ import annotations

from repatria.law.rules import (  # noqa: F401 - imported to register their checks
    approvals,
    consent,
    custody,
    notice,
    parties,
    person,
    removal,
    sentence,
)
from repatria.law.rules.base import REGISTRY, CheckSpec, Finding, RuleContext

__all__ = ["REGISTRY", "CheckSpec", "Finding", "RuleContext"]
