"""The audit log's keys and witness file, kept outside the database: the checkpoint signing
key (read only by the command that signs), the public keys that check checkpoints, and the
witness file every signed checkpoint is appended to."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from repatria.domain.audit_checkpoints import Checkpoint, raw_public_key
from repatria.domain.errors import Conflict
from repatria.settings import Settings

DEFAULT_KEY_NAME = "audit-ed25519.pem"


DEFAULT_PUBLIC_KEY_NAME = "audit-ed25519.pub"


DEFAULT_WITNESS_NAME = "audit-witness.log"


_PUBLIC_PEM = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----\s*", re.DOTALL)


class AuditKeyMissing(Conflict):
    """No checkpoint key: outside development its files must be configured and present."""


@dataclass(frozen=True)
class SigningKey:
    """The checkpoint key, where it was read from, and whether it was just generated.

    Only the command that signs (`repatria audit checkpoint`) loads it; every other process
    reads the public key file (`load_public_keys`)."""

    private_key: Ed25519PrivateKey
    path: Path
    generated: bool

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key outside parties check checkpoints with."""
        return self.private_key.public_key()


def _data_dir(settings: Settings) -> Path:
    database = settings.sqlite_path()
    return database.parent if database else Path("data")


def default_key_path(settings: Settings) -> Path:
    """Where development and test keep their generated key: beside the SQLite file, or data/."""
    return _data_dir(settings) / DEFAULT_KEY_NAME


def public_key_path(settings: Settings) -> Path:
    """The public key file: as configured, else the key file's name with the suffix .pub."""
    if settings.audit_public_key_file is not None:
        return settings.audit_public_key_file
    if settings.audit_key_file is not None:
        return settings.audit_key_file.with_suffix(".pub")
    if settings.env == "production":
        raise AuditKeyMissing(
            "REPATRIA_AUDIT_PUBLIC_KEY_FILE (or REPATRIA_AUDIT_KEY_FILE) must name the "
            "checkpoint key"
        )
    return _data_dir(settings) / DEFAULT_PUBLIC_KEY_NAME


def witness_path(settings: Settings) -> Path:
    """The witness file: as configured (required in production), else beside the database."""
    if settings.audit_witness_file is not None:
        return settings.audit_witness_file
    return _data_dir(settings) / DEFAULT_WITNESS_NAME


def load_public_keys(settings: Settings) -> list[Ed25519PublicKey]:
    """The checkpoint public keys from the public key file: the current one first, then the
    retired ones whose checkpoints still verify. Never reads the private key."""
    path = public_key_path(settings)
    if not path.is_file():
        raise AuditKeyMissing(
            f"no checkpoint public key at {path}: `repatria audit checkpoint` writes it from "
            "the signing key (or: openssl pkey -in KEY.pem -pubout)"
        )
    keys = []
    for block in _PUBLIC_PEM.findall(path.read_bytes()):
        key = load_pem_public_key(block)
        if not isinstance(key, Ed25519PublicKey):
            raise AuditKeyMissing(f"{path} holds a public key that is not Ed25519")
        keys.append(key)
    if not keys:
        raise AuditKeyMissing(f"{path} holds no PEM public key")
    return keys


def load_public_key(settings: Settings) -> Ed25519PublicKey:
    """The current checkpoint public key (the first of the public key file)."""
    return load_public_keys(settings)[0]


def load_signing_key(settings: Settings) -> SigningKey:
    """The configured Ed25519 key; in development and test one is generated when none is set.

    The public key file is written beside it when absent, and must otherwise name this key
    first: what the other processes check checkpoints with is what signs them."""
    if settings.audit_key_file is not None:
        path = settings.audit_key_file
        if not path.is_file():
            raise AuditKeyMissing(f"the audit key file {path} does not exist")
    elif settings.env == "production":
        raise AuditKeyMissing("REPATRIA_AUDIT_KEY_FILE must name the checkpoint signing key")
    else:
        path = default_key_path(settings)
        if not path.is_file():
            signing = SigningKey(_generate_key(path), path, generated=True)
            _ensure_public_key_file(settings, signing.public_key)
            return signing
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyMissing(f"{path} does not hold an Ed25519 private key")
    _ensure_public_key_file(settings, key.public_key())
    return SigningKey(key, path, generated=False)


def _ensure_public_key_file(settings: Settings, public_key: Ed25519PublicKey) -> None:
    path = public_key_path(settings)
    if not path.is_file():
        pem = public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        _write_once(path, pem, 0o644)
    if raw_public_key(load_public_key(settings)) != raw_public_key(public_key):
        raise AuditKeyMissing(
            f"the public key file {path} does not name this signing key first "
            "(see docs/audit.md, rotating the key)"
        )


def _generate_key(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    _write_once(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()), 0o600)
    loaded = load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    return loaded


def _write_once(path: Path, content: bytes, mode: int) -> None:
    """Write a file unless another process wrote it first (never replaces one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def append_witness(path: Path, checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> None:
    """Append a checkpoint to the witness file as one line of JSON (as the API publishes it),
    and make it durable (fsync) before returning."""
    line = json.dumps(checkpoint_out(checkpoint, public_key), separators=(",", ":")) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:  # the new file's name must survive a crash too
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


class WitnessUnreadable(Conflict):
    """A line of the witness file is not a checkpoint."""


def read_witness(path: Path) -> list[Checkpoint] | None:
    """The checkpoints of the witness file in the order written; None when there is no file."""
    if not path.exists():
        return None
    checkpoints = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                fields = json.loads(line)
                checkpoints.append(
                    Checkpoint(
                        int(fields["tree_size"]),
                        bytes.fromhex(fields["root_hash"]),
                        datetime.strptime(fields["signed_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                            tzinfo=UTC
                        ),
                        bytes.fromhex(fields["signature"]),
                        str(fields["key_id"]),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise WitnessUnreadable(
                    f"line {number} of the witness file {path} is not a checkpoint ({exc})"
                ) from None
    return checkpoints


def checkpoint_out(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> dict[str, object]:
    """A checkpoint as the API and CLI publish it."""
    return {
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash.hex(),
        "signed_at": checkpoint.signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "signature": checkpoint.signature.hex(),
        "key_id": checkpoint.key_id,
        "public_key": raw_public_key(public_key).hex(),
    }
