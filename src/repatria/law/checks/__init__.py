"""The checks rule data may name, each defined once and registered when this is imported."""

from __future__ import annotations

from repatria.law.checks import (  # noqa: F401 - imported to register their checks
    approvals,
    consent,
    custody,
    notice,
    parties,
    person,
    removal,
    sentence,
    succession,
)
from repatria.law.checks.base import CHECKS, CheckDefinition

__all__ = ["CHECKS", "CheckDefinition"]
