"""This installation's keys as its peers see them: the Ed25519 key that signs its envelopes,
and the origin under which its checkpoints are signed as C2SP notes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from repatria.domain.audit_checkpoints import key_id, raw_public_key
from repatria.domain.errors import Conflict
from repatria.services import audit_keys
from repatria.settings import Settings

DEFAULT_EXCHANGE_KEY_NAME = "exchange-ed25519.pem"


class ExchangeNotConfigured(Conflict):
    """Federation needs REPATRIA_EXCHANGE_STATE, and outside development the envelope key."""


@dataclass(frozen=True)
class ExchangeKey:
    """The key that signs this installation's envelopes, and its short id (the JWS `kid`)."""

    private_key: Ed25519PrivateKey

    @property
    def public_hex(self) -> str:
        """The 32 raw public-key bytes in hex: what a peer pins."""
        return raw_public_key(self.private_key.public_key()).hex()

    @property
    def key_id(self) -> str:
        """The first 16 hex digits of SHA-256 of the raw public key (as for checkpoints)."""
        return key_id(self.private_key.public_key())


def origin(state: str) -> str:
    """The name of a state's log in its C2SP checkpoints (and of the key that signs them)."""
    return f"repatria/{state.upper()}"


def home_state(settings: Settings) -> str:
    """The state this installation speaks for to its peers."""
    if not settings.exchange_state:
        raise ExchangeNotConfigured(
            "REPATRIA_EXCHANGE_STATE must name the state this installation speaks for"
            " (e.g. US) before it exchanges messages with peers"
        )
    return settings.exchange_state.upper()


def key_path(settings: Settings) -> Path:
    """The envelope key file: as configured, else beside the SQLite file (development)."""
    if settings.exchange_key_file is not None:
        return settings.exchange_key_file
    if settings.env == "production":
        raise ExchangeNotConfigured("REPATRIA_EXCHANGE_KEY_FILE must name the envelope key")
    return audit_keys.default_key_path(settings).with_name(DEFAULT_EXCHANGE_KEY_NAME)


def load_exchange_key(settings: Settings) -> ExchangeKey:
    """The envelope signing key; in development and test one is generated when absent."""
    path = key_path(settings)
    if not path.is_file():
        if settings.exchange_key_file is not None:
            raise ExchangeNotConfigured(f"the exchange key file {path} does not exist")
        audit_keys._generate_key(path)
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ExchangeNotConfigured(f"{path} does not hold an Ed25519 private key")
    return ExchangeKey(key)


def public_keys(settings: Settings) -> dict[str, str]:
    """What a peer pins for this installation: its state, envelope key and checkpoint key."""
    state = home_state(settings)
    envelope_key = load_exchange_key(settings)
    checkpoint_key = audit_keys.load_public_key(settings)
    return {
        "state": state,
        "envelope_key": envelope_key.public_hex,
        "envelope_key_id": envelope_key.key_id,
        "checkpoint_origin": origin(state),
        "checkpoint_key": raw_public_key(checkpoint_key).hex(),
    }
