"""Checkpoints as C2SP signed notes (domain/signed_notes.py): the text and signature line the
specifications lay down, and what a verifier must refuse or ignore."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repatria.domain import merkle
from repatria.domain.audit_checkpoints import raw_public_key
from repatria.domain.signed_notes import (
    NoteError,
    note_key_id,
    sign_checkpoint_note,
    verify_checkpoint_note,
)

KEY = Ed25519PrivateKey.generate()
ROOT = merkle.tree_hash([merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b")])


def test_the_note_is_origin_size_and_base64_root_then_a_blank_line_and_one_signature() -> None:
    note = sign_checkpoint_note(KEY, "repatria/US", 2, ROOT)
    text, signatures = note.split("\n\n")
    assert text.split("\n") == ["repatria/US", "2", base64.b64encode(ROOT).decode()]
    dash, name, blob = signatures.rstrip("\n").split(" ")
    assert (dash, name) == ("\u2014", "repatria/US")
    raw = base64.b64decode(blob)
    pub = raw_public_key(KEY.public_key())
    assert raw[:4] == hashlib.sha256(b"repatria/US\n\x01" + pub).digest()[:4]
    KEY.public_key().verify(raw[4:], (text + "\n").encode())  # over the text and its newline


def test_a_verified_note_gives_its_size_and_root() -> None:
    note = verify_checkpoint_note(
        sign_checkpoint_note(KEY, "repatria/MX", 2, ROOT), "repatria/MX", [KEY.public_key()]
    )
    assert (note.tree_size, note.root_hash) == (2, ROOT)


def test_a_changed_size_is_refused() -> None:
    note = sign_checkpoint_note(KEY, "repatria/US", 2, ROOT).replace("\n2\n", "\n3\n", 1)
    with pytest.raises(NoteError, match="does not verify"):
        verify_checkpoint_note(note, "repatria/US", [KEY.public_key()])


def test_another_logs_checkpoint_is_refused() -> None:
    note = sign_checkpoint_note(KEY, "repatria/SV", 2, ROOT)
    with pytest.raises(NoteError, match="not of"):
        verify_checkpoint_note(note, "repatria/US", [KEY.public_key()])


def test_a_note_signed_only_by_an_unpinned_key_is_refused() -> None:
    note = sign_checkpoint_note(Ed25519PrivateKey.generate(), "repatria/US", 2, ROOT)
    with pytest.raises(NoteError, match="no signature"):
        verify_checkpoint_note(note, "repatria/US", [KEY.public_key()])


def test_a_witness_cosignature_beside_ours_is_ignored() -> None:
    note = sign_checkpoint_note(KEY, "repatria/US", 2, ROOT)
    witness = Ed25519PrivateKey.generate()
    blob = note_key_id("witness.example/w1", witness.public_key()) + bytes(64)
    cosigned = note + f"\u2014 witness.example/w1 {base64.b64encode(blob).decode()}\n"
    assert verify_checkpoint_note(cosigned, "repatria/US", [KEY.public_key()]).tree_size == 2
