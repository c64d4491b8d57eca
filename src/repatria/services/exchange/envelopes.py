"""Signed envelopes: JWS compact serialisation (RFC 7515) with Ed25519 (RFC 8037, the
fully-specified algorithm name of RFC 9864), made and checked with joserfc."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from repatria.services.exchange.keys import ExchangeKey
from repatria.services.exchange.schemas import SCHEMA_VERSION

ALGORITHM = "Ed25519"
MEDIA_TYPE = "repatria-exchange+jws"


class EnvelopeUnreadable(ValueError):
    """Not a JWS compact serialisation of a JSON object."""


@dataclass(frozen=True)
class Unverified:
    """An envelope's header and claims before its signature is checked: to find the key."""

    kid: str | None
    algorithm: str | None
    claims: dict[str, Any]


def moment(when: datetime) -> str:
    """A moment as the envelope carries it: UTC, microseconds, Z."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_claims(
    *,
    sender: str,
    recipient: str,
    seq: int,
    kind: str,
    case_reference: str,
    body: dict[str, Any],
    checkpoint: dict[str, Any] | None,
    issued_at: datetime,
) -> dict[str, Any]:
    """The claims of a new message, with a fresh unique id."""
    return {
        "v": SCHEMA_VERSION,
        "id": uuid.uuid4().hex,
        "from": sender,
        "to": recipient,
        "seq": seq,
        "kind": kind,
        "iat": moment(issued_at),
        "case_reference": case_reference,
        "body": body,
        "checkpoint": checkpoint,
    }


def sign(claims: dict[str, Any], key: ExchangeKey) -> str:
    """The claims signed by this installation's key, as a JWS compact string."""
    header = {"alg": ALGORITHM, "kid": key.key_id, "typ": MEDIA_TYPE}
    payload = json.dumps(claims, sort_keys=True, separators=(",", ":")).encode()
    jwk = OKPKey.import_key(key.private_key)
    return jws.serialize_compact(header, payload, jwk, algorithms=[ALGORITHM])


def peek(envelope: str) -> Unverified:
    """The header and claims, unverified (only to choose the key that must have signed)."""
    try:
        extracted = jws.extract_compact(envelope.encode())
        claims = json.loads(extracted.payload)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise EnvelopeUnreadable(f"not a JWS compact envelope of a JSON object: {exc}") from exc
    if not isinstance(claims, dict):
        raise EnvelopeUnreadable("the envelope's payload is not a JSON object")
    headers = extracted.headers()
    return Unverified(headers.get("kid"), headers.get("alg"), claims)


def verified(envelope: str, public_key: Ed25519PublicKey) -> bool:
    """Whether the envelope's signature is this key's (Ed25519 only: no other algorithm,
    and never 'none', is accepted)."""
    try:
        jws.deserialize_compact(envelope, OKPKey.import_key(public_key), algorithms=[ALGORITHM])
    except (JoseError, ValueError):
        return False
    return True
