"""The bytes each event contributes to the Merkle log, and who may read the log.

A leaf is the canonical JSON of an event's recorded fields: keys sorted, no whitespace, UTF-8,
non-ASCII characters kept as they are (Python's `json.dumps(fields, sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`), moments as `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC.
The leaf hash is SHA-256(0x00 || leaf), as in RFC 6962 §2.1. The leaf is what an event row
stores, the database deriving the event's columns from it (adapters/db/leaf_columns.py);
`leaf_text` below is the one place that lays a leaf out.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from json.encoder import encode_basestring as quote
from typing import Any

from repatria.domain.accounts import Principal, Role
from repatria.domain.errors import PermissionDenied, Term
from repatria.domain.merkle import leaf_hash
from repatria.i18n import N_

# The leaf's keys in sorted order; %s slots take JSON text, the moments their date and time.
LEAF_FORMAT = (
    '{"actor":%s,"actor_id":%s,"after":%s,"before":%s,"command":%s,"legal_basis":%s,'
    '"occurred_at":"%sT%sZ","organisation_id":%s,"reason":%s,"recorded_at":"%sT%sZ",'
    '"seq":%d,"states":%s,"subject_id":%s,"subject_type":%s}'
)
_LEAF_HEAD, _LEAF_TAIL = LEAF_FORMAT.split("%d")
AUDIT_READERS = frozenset({Role.AUDITOR, Role.ADMIN})


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a value: sorted keys, no whitespace, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stored_moment(moment: datetime) -> str:
    """A moment as the databases hand it to the verifier: `YYYY-MM-DD HH:MM:SS.ffffff`, UTC."""
    at = moment.astimezone(UTC)
    return (
        f"{at.year:04d}-{at.month:02d}-{at.day:02d} "
        f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}.{at.microsecond:06d}"
    )


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def leaf_text(*, seq: int, **fields: Any) -> str:
    """The canonical leaf from stored values (the fields of leaf_parts) at position seq."""
    head, tail = leaf_parts(**fields)
    return f"{head}{seq:d}{tail}"


def leaf_parts(
    *,
    command: str,
    subject_type: str,
    subject_id: str,
    occurred_at: str,
    recorded_at: str,
    actor: str,
    actor_id: int | None,
    organisation_id: int | None,
    before: str,
    after: str,
    reason: str,
    legal_basis: str,
    states: str,
) -> tuple[str, str]:
    """The leaf's text before its seq and after it, from stored values: JSON columns as text,
    moments as stored_moment. Neither holds a line break (JSON escapes every control
    character), so a writer may send many of them joined by one."""
    if occurred_at[10:11] != " " or recorded_at[10:11] != " ":
        raise ValueError("a moment is not in the stored form YYYY-MM-DD HH:MM:SS.ffffff")
    head = _LEAF_HEAD % (
        quote(actor),
        _number(actor_id),
        after,
        before,
        quote(command),
        quote(legal_basis),
        occurred_at[:10],
        occurred_at[11:],
        _number(organisation_id),
        quote(reason),
        recorded_at[:10],
        recorded_at[11:],
    )
    return head, _LEAF_TAIL % (states, quote(subject_id), quote(subject_type))


def event_leaf(event: Any, seq: int) -> bytes:
    """The leaf bytes of an Event about to be appended at position seq."""
    head, tail = event_leaf_parts(event)
    return f"{head}{seq:d}{tail}".encode()


def event_leaf_parts(event: Any) -> tuple[str, str]:
    """The leaf of an Event about to be appended, before its seq and after it (leaf_parts)."""
    texts = {name: canonical_json(getattr(event, name)) for name in ("before", "after", "states")}
    return leaf_parts(
        command=event.command,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        occurred_at=stored_moment(event.occurred_at),
        recorded_at=stored_moment(event.recorded_at),
        actor=event.actor,
        actor_id=event.actor_id,
        organisation_id=event.organisation_id,
        before=texts["before"],
        after=texts["after"],
        reason=event.reason,
        legal_basis=event.legal_basis,
        states=texts["states"],
    )


def event_leaf_hash(event: Any, seq: int) -> bytes:
    """SHA-256(0x00 || leaf) of an Event at position seq."""
    return leaf_hash(event_leaf(event, seq))


def require_audit_reader(principal: Principal) -> None:
    """Checkpoints and proofs are for auditors and administrators (and the system itself)."""
    if principal.role not in AUDIT_READERS:
        raise PermissionDenied(
            N_("the role %(role)s may not read the audit log"), role=Term(principal.role.value)
        )
