"""The audit repository: what the services read and change of audit."""

from __future__ import annotations

from typing import Protocol


class AuditLog(Protocol):
    """Reads and changes audit inside one unit of work."""
