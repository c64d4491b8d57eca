"""Signed checkpoints: Ed25519 over (tree size, root hash, time), checkable with the public key.

The signed message is four lines of UTF-8, each ended by a line feed:

    repatria-audit-checkpoint/v1
    <tree size in decimal>
    <root hash, 64 lowercase hexadecimal digits>
    <signing moment, YYYY-MM-DDTHH:MM:SS.ffffffZ in UTC>
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MESSAGE_HEADER = "repatria-audit-checkpoint/v1"


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement that the log held tree_size events whose root is root_hash."""

    tree_size: int
    root_hash: bytes
    signed_at: datetime
    signature: bytes
    key_id: str

    def message(self) -> bytes:
        """The exact bytes the signature covers."""
        return checkpoint_message(self.tree_size, self.root_hash, self.signed_at)

    def signed_by(self, public_key: Ed25519PublicKey) -> bool:
        """True when the signature is this key's over this checkpoint's message."""
        try:
            public_key.verify(self.signature, self.message())
        except InvalidSignature:
            return False
        return True


def checkpoint_message(tree_size: int, root_hash: bytes, signed_at: datetime) -> bytes:
    """The message a checkpoint signs (see the module docstring)."""
    moment = signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{MESSAGE_HEADER}\n{tree_size}\n{root_hash.hex()}\n{moment}\n".encode()


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of an Ed25519 public key (RFC 8032)."""
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short name for a key: the first 16 hex digits of SHA-256 of its raw bytes."""
    return hashlib.sha256(raw_public_key(public_key)).hexdigest()[:16]


def sign_checkpoint(
    private_key: Ed25519PrivateKey, tree_size: int, root_hash: bytes, signed_at: datetime
) -> Checkpoint:
    """Sign the tree head (tree_size, root_hash) at signed_at."""
    signature = private_key.sign(checkpoint_message(tree_size, root_hash, signed_at))
    return Checkpoint(tree_size, root_hash, signed_at, signature, key_id(private_key.public_key()))


def public_key_from_hex(raw_hex: str) -> Ed25519PublicKey:
    """An Ed25519 public key from the hex of its 32 raw bytes, as the API publishes it."""
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(raw_hex))
