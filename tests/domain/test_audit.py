"""The leaf an event contributes to the log, and the checkpoint signature."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repatria.domain.audit import canonical_json, event_leaf
from repatria.domain.audit_checkpoints import checkpoint_message, sign_checkpoint
from repatria.domain.events import Event

MOMENT = datetime(2026, 11, 22, 19, 7, 38, 439464, tzinfo=UTC)


def an_event(**changes: object) -> Event:
    fields: dict[str, object] = {
        "command": "OpenCase",
        "subject_type": "case",
        "subject_id": "7",
        "occurred_at": MOMENT,
        "recorded_at": MOMENT,
        "actor": "ana",
        "actor_id": 3,
        "organisation_id": None,
        "before": None,
        "after": {"state": "draft", "names": ["José", 'a "quoted"\nline']},
        "reason": "ñ\t\\",
        "legal_basis": "18 U.S.C. §4100",
        "states": ["MX", "US"],
    }
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def test_the_leaf_is_the_canonical_json_of_the_recorded_fields() -> None:
    event = an_event()
    fields = {
        name: getattr(event, name)
        for name in (
            "command", "subject_type", "subject_id", "actor", "actor_id", "organisation_id",
            "before", "after", "reason", "legal_basis", "states",
        )
    }  # fmt: skip
    fields.update(seq=41, occurred_at="2026-11-22T19:07:38.439464Z")
    fields["recorded_at"] = fields["occurred_at"]
    assert event_leaf(event, 41) == canonical_json(fields).encode()


def test_every_recorded_field_changes_the_leaf() -> None:
    original = event_leaf(an_event(), 0)
    for name, value in {
        "command": "CloseCase",
        "subject_id": "8",
        "occurred_at": MOMENT.replace(microsecond=1),
        "actor_id": 4,
        "organisation_id": 1,
        "before": {},
        "reason": "",
        "states": ["US"],
    }.items():
        assert event_leaf(an_event(**{name: value}), 0) != original, name
    assert event_leaf(an_event(), 1) != original


def test_a_checkpoint_verifies_with_its_key_and_not_when_altered() -> None:
    key = Ed25519PrivateKey.generate()
    checkpoint = sign_checkpoint(key, 12, b"\x01" * 32, MOMENT)
    assert checkpoint.signed_by(key.public_key())
    assert checkpoint_message(12, b"\x01" * 32, MOMENT).decode().splitlines() == [
        "repatria-audit-checkpoint/v1",
        "12",
        "01" * 32,
        "2026-11-22T19:07:38.439464Z",
    ]
    forged = sign_checkpoint(key, 13, b"\x01" * 32, MOMENT)
    assert not checkpoint.__class__(13, b"\x01" * 32, MOMENT, checkpoint.signature, "").signed_by(
        key.public_key()
    )
    assert not checkpoint.signed_by(Ed25519PrivateKey.generate().public_key())
    assert forged.signed_by(key.public_key())
