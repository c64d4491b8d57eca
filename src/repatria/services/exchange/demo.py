"""Two installations on this machine as peers (`repatria demo federation`, the end-to-end
tests and bench/exchange.py): each with its own database, keys and witness file, each pinning
the other's keys, and checkpoints signed as the operator's cron would."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from repatria.domain.accounts import Principal
from repatria.services import audit, audit_keys
from repatria.services.exchange import keys, peers
from repatria.settings import Settings

OPERATOR = Principal.system("operator")
# The composition root's `build` (services do not import it: it imports them).
Build = Callable[[Settings], Any]


@dataclass(frozen=True)
class Instance:
    """One state's installation: its database, its directory of keys, its address."""

    state: str
    database_url: str
    directory: Path
    port: int

    @property
    def base_url(self) -> str:
        """Where its server listens (loopback only)."""
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """The REPATRIA_* variables its processes run with."""
        return {
            "REPATRIA_DATABASE_URL": self.database_url,
            "REPATRIA_EXCHANGE_STATE": self.state,
            "REPATRIA_EXCHANGE_KEY_FILE": str(self.directory / "exchange-ed25519.pem"),
            "REPATRIA_AUDIT_KEY_FILE": str(self.directory / "audit-ed25519.pem"),
            "REPATRIA_AUDIT_PUBLIC_KEY_FILE": str(self.directory / "audit-ed25519.pub"),
            "REPATRIA_AUDIT_WITNESS_FILE": str(self.directory / "audit-witness.log"),
            "REPATRIA_HOST": "127.0.0.1",
            "REPATRIA_PORT": str(self.port),
        }

    def settings(self, **overrides: object) -> Settings:
        """Its settings, as its processes read them from `environment()`."""
        values = {k.removeprefix("REPATRIA_").lower(): v for k, v in self.environment().items()}
        return Settings(**{**values, **overrides})  # type: ignore[arg-type]


def make_keys(instance: Instance) -> None:
    """Its envelope and checkpoint keys (mode 600) and the public key file, once."""
    instance.directory.mkdir(parents=True, exist_ok=True)
    for name in ("exchange-ed25519.pem", "audit-ed25519.pem"):
        path = instance.directory / name
        if not path.exists():
            pem = Ed25519PrivateKey.generate().private_bytes(
                Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
            )
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem)
    signing = audit_keys.load_signing_key(instance.settings())  # writes the .pub beside it
    public = signing.public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    assert (instance.directory / "audit-ed25519.pub").read_bytes() == public


def pair(first: Instance, second: Instance, build: Build) -> None:
    """Each pins the other: address, envelope key and checkpoint key."""
    for here, there in ((first, second), (second, first)):
        theirs = keys.public_keys(there.settings())
        container = build(here.settings())
        with container.uow() as uow:
            peers.add(
                uow,
                OPERATOR,
                there.state,
                there.base_url,
                keys=[(theirs["envelope_key"], None)],
                checkpoint_keys=[(theirs["checkpoint_key"], None)],
            )
            uow.commit()
        container.dispose()


def sign_checkpoint(instance: Instance, build: Build) -> int:
    """Sign a checkpoint of its record (as `repatria audit checkpoint` does); its size."""
    settings = instance.settings()
    container = build(settings)
    key = audit_keys.load_signing_key(settings)
    with container.uow() as uow:
        report = audit.sign(
            uow,
            settings.database_url,
            key,
            audit_keys.witness_path(settings),
            start_witness=not audit_keys.witness_path(settings).exists(),
            workers=1,
            note_origin=instance.state,
        )
    container.dispose()
    if report.finding is not None:
        raise RuntimeError(f"{instance.state}'s record does not verify: {report.finding.problem}")
    return report.tree_size
