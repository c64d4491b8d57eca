"""Checkpoints as C2SP signed notes (c2sp.org/tlog-checkpoint, c2sp.org/signed-note), the form
that crosses the border: a standard transparency-log witness can read and cosign it.

A checkpoint note's text is three lines, each ended by a line feed: the log's origin, the tree
size in decimal, and the root hash in standard base64. A blank line follows, then one signature
line per key: an em dash, a space, the key name (here the origin), a space, and the base64 of
the 4-byte key ID followed by the Ed25519 signature of the text. The key ID is the first four
bytes of SHA-256(key name || 0x0A || 0x01 || the 32 raw public-key bytes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
DASH = "\u2014 "


class NoteError(ValueError):
    """A signed note that is malformed, or not signed by the key expected."""


@dataclass(frozen=True)
class CheckpointNote:
    """A verified checkpoint note: whose log, how many leaves, which root."""

    origin: str
    tree_size: int
    root_hash: bytes
    text: str  # the whole signed note, as received


def note_key_id(name: str, public_key: Ed25519PublicKey) -> bytes:
    """The signed-note key ID of an Ed25519 key under a name (4 bytes)."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + raw).digest()[:4]


def checkpoint_text(origin: str, tree_size: int, root_hash: bytes) -> str:
    """The body a checkpoint note signs."""
    if not origin or any(c.isspace() or c == "+" for c in origin):
        raise NoteError(f"origin {origin!r}: may not be empty nor hold spaces or '+'")
    return f"{origin}\n{tree_size}\n{base64.b64encode(root_hash).decode()}\n"


def sign_checkpoint_note(
    private_key: Ed25519PrivateKey, origin: str, tree_size: int, root_hash: bytes
) -> str:
    """The checkpoint (tree_size, root_hash) of the log named origin, as a signed note."""
    text = checkpoint_text(origin, tree_size, root_hash)
    signature = private_key.sign(text.encode())
    key_id = note_key_id(origin, private_key.public_key())
    return f"{text}\n{DASH}{origin} {base64.b64encode(key_id + signature).decode()}\n"


def verify_checkpoint_note(
    note: str, origin: str, public_keys: list[Ed25519PublicKey]
) -> CheckpointNote:
    """The checkpoint a note states, if one of the keys signed it under the expected origin;
    NoteError otherwise (a signature by a key named and numbered as ours that fails to verify
    rejects the whole note, as the specification advises)."""
    text, separator, signatures = note.partition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise NoteError("not a signed note: no blank line before the signatures")
    text += "\n"
    lines = text.split("\n")[:-1]
    if len(lines) < 3:
        raise NoteError("a checkpoint has an origin, a size and a root hash")
    if lines[0] != origin:
        raise NoteError(f"the checkpoint is of {lines[0]!r}, not of {origin!r}")
    try:
        tree_size = int(lines[1])
        root_hash = base64.b64decode(lines[2], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise NoteError("the size or the root hash of the checkpoint cannot be read") from exc
    if tree_size < 0 or lines[1] != str(tree_size) or len(root_hash) != 32:
        raise NoteError("the size or the root hash of the checkpoint is malformed")
    known = {note_key_id(origin, key): key for key in public_keys}
    verified = False
    for line in signatures[:-1].split("\n"):
        if not line.startswith(DASH):
            raise NoteError("a signature line must start with an em dash and a space")
        name, _, encoded = line[len(DASH) :].partition(" ")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise NoteError("a signature is not base64") from exc
        key = known.get(blob[:4]) if name == origin else None
        if key is None:
            continue  # someone else's signature (a cosigning witness): ignored
        try:
            key.verify(blob[4:], text.encode())
        except InvalidSignature as exc:
            raise NoteError("the checkpoint's signature does not verify") from exc
        verified = True
    if not verified:
        raise NoteError("no signature on the checkpoint by a key pinned for this peer")
    return CheckpointNote(origin, tree_size, root_hash, note)
