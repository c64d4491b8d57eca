"""Vectorised counterparts of the per-case checks, registered under the same names."""

from __future__ import annotations

from repatria.screening.checks import (  # noqa: F401 - imported to register their checks
    approvals,
    consent,
    custody,
    notice,
    parties,
    person,
    removal,
    sentence,
)
from repatria.screening.checks.base import (
    FAIL,
    OUTCOME_NAMES,
    PASS,
    UNKNOWN,
    VECTOR_REGISTRY,
    Columns,
)

__all__ = ["FAIL", "OUTCOME_NAMES", "PASS", "UNKNOWN", "VECTOR_REGISTRY", "Columns"]
