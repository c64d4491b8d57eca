"""Population screening: a whole roster against the law catalog at once, with Polars."""

from __future__ import annotations

from repatria.screening.verdicts import screen, screen_outcomes

__all__ = ["screen", "screen_outcomes"]
