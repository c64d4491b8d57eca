"""A signed checkpoint asked for by a person: pending until the signing command answers it
with a checkpoint whose tree holds the request's own event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from repatria.domain.access import Action, require
from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
from repatria.i18n import N_

REASON_MAX = 500


@dataclass(frozen=True)
class CheckpointRequest:
    """Who asked for a checkpoint, when and why; the size of the one that answered it."""

    id: int
    requested_at: datetime
    requested_by: str
    reason: str
    answered_by_size: int | None = None
    answered_at: datetime | None = None

    @property
    def pending(self) -> bool:
        """True until a signed checkpoint covers the request."""
        return self.answered_by_size is None


def checked_reason(principal: Principal, reason: str) -> str:
    """The request's reason, once the principal is known to be one who may ask (auditors and
    administrators); a reason longer than the limit is refused, naming the field."""
    require(principal, Action.REQUEST_CHECKPOINT)
    text = " ".join(reason.split())
    if len(text) > REASON_MAX:
        raise InvalidInput("reason", N_("is too long (at most %(n)s characters)"), n=REASON_MAX)
    return text
