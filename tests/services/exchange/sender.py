"""A peer state as the tests play it: real Ed25519 keys, real JWS envelopes and real C2SP
checkpoints of a Merkle log whose leaves the test chooses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repatria.domain import merkle
from repatria.domain.audit_checkpoints import raw_public_key
from repatria.domain.signed_notes import sign_checkpoint_note
from repatria.services.exchange import envelopes
from repatria.services.exchange.keys import ExchangeKey, origin


@dataclass
class Sender:
    """The sending state: its envelope key, its checkpoint key and its log's leaves."""

    state: str = "US"
    recipient: str = "MX"
    key: ExchangeKey = field(default_factory=lambda: ExchangeKey(Ed25519PrivateKey.generate()))
    checkpoint_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    leaves: list[bytes] = field(default_factory=list)
    sent_size: int | None = None  # the checkpoint size our previous envelope carried
    seq: int = 0

    @property
    def checkpoint_public_hex(self) -> str:
        return raw_public_key(self.checkpoint_key.public_key()).hex()

    def grow(self, count: int, salt: str = "") -> None:
        """Append events to the log."""
        start = len(self.leaves)
        self.leaves += [
            merkle.leaf_hash(hashlib.sha256(f"{salt}{start + i}".encode()).digest())
            for i in range(count)
        ]

    def checkpoint(self, leaves: list[bytes] | None = None) -> dict[str, Any]:
        """Our latest checkpoint as an envelope carries it (with the proof from the last)."""
        leaves = self.leaves if leaves is None else leaves
        size = len(leaves)
        note = sign_checkpoint_note(
            self.checkpoint_key, origin(self.state), size, merkle.tree_hash(leaves)
        )
        carried: dict[str, Any] = {"note": note}
        if self.sent_size is not None:
            proof = (
                [] if self.sent_size == size else merkle.consistency_proof(leaves, self.sent_size)
            )
            carried.update(from_size=self.sent_size, proof=[node.hex() for node in proof])
        self.sent_size = size
        return carried

    def claims(
        self, kind: str, body: dict[str, Any], reference: str, **changes: Any
    ) -> dict[str, Any]:
        """The next message's claims (its sequence number taken)."""
        self.seq += 1
        claims = envelopes.new_claims(
            sender=self.state,
            recipient=self.recipient,
            seq=self.seq,
            kind=kind,
            case_reference=reference,
            body=body,
            checkpoint=self.checkpoint() if self.leaves else None,
            issued_at=datetime.now(UTC),
        )
        claims.update(changes)
        return claims

    def sign(self, claims: dict[str, Any], key: ExchangeKey | None = None) -> str:
        return envelopes.sign(claims, key or self.key)


def transfer_request(reference_day: str = "2026-11-01") -> dict[str, Any]:
    """A transfer request's body for a Mexican national serving six years in the US."""
    return {
        "authority": "us-mx-1976",
        "request_received_on": reference_day,
        "facts": {
            "person_competent": True,
            "person_years_in_sending_state": 4,
            "person_intends_to_remain": False,
            "sentence_dual_criminality": True,
            "sentence_other_charges_pending": False,
        },
        "person": {
            "family_name": "Ortega Ramos",
            "given_names": "Luis",
            "birth_date": "1985-03-04",
            "citizenships": [{"country": "MX", "acquired_on": None}],
        },
        "sentences": [
            {
                "offense": "Importation of a controlled substance (21 U.S.C. § 952)",
                "offense_category": "drug_trafficking",
                "jurisdiction": "US",
                "start_date": "2024-01-10",
                "length_days": 2920,
                "credit_days": 0,
                "indeterminate": False,
                "death_sentence": False,
                "final": True,
                "appeal_pending": False,
                "collateral_attack_pending": False,
                "state_prisoner": False,
            }
        ],
        "consent": {"status": "not_verified", "verified_on": None},
        "assessment": {
            "allowed": False,
            "as_of": reference_day,
            "law_digest": "0" * 64,
            "pending": ["APPROVALS", "CONSENT"],
        },
        "sending_approved_on": reference_day,
    }
