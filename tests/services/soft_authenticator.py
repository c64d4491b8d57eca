"""A software security key for the tests: real WebAuthn data (CTAP2 authenticator data, COSE
key, "none" attestation, ECDSA P-256 signatures), as a browser hands it to the page's script
(PublicKeyCredential.toJSON()), so that py_webauthn verifies what a real key would send."""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from base64 import urlsafe_b64encode
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40  # user present, user verified, attested credential data


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def challenge_of(options: str) -> str:
    """The challenge (base64url) in options made by the server."""
    return str(json.loads(options)["challenge"])


@dataclass
class SoftAuthenticator:
    """One key: a P-256 key pair, its credential id and its signature counter."""

    origin: str
    rp_id: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    sign_count: int = 0

    def create(self, challenge: str, *, origin: str | None = None) -> str:
        """The answer to navigator.credentials.create() for this challenge."""
        numbers = self.private_key.public_key().public_numbers()
        cose_key = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32), -3: numbers.y.to_bytes(32)}
        attested = (
            bytes(16)  # AAGUID: none
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + cbor2.dumps(cose_key)
        )
        auth_data = self._auth_data(UP | UV | AT) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", challenge, origin)
        return json.dumps(
            {
                "id": b64url(self.credential_id),
                "rawId": b64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "attestationObject": b64url(attestation),
                    "transports": ["usb"],
                },
                "clientExtensionResults": {},
            }
        )

    def get(self, challenge: str, *, origin: str | None = None) -> str:
        """The answer to navigator.credentials.get(): a signature over this challenge, the
        counter one higher."""
        self.sign_count += 1
        auth_data = self._auth_data(UP | UV)
        client_data = self._client_data("webauthn.get", challenge, origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": b64url(self.credential_id),
                "rawId": b64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature),
                    "userHandle": None,
                },
                "clientExtensionResults": {},
            }
        )

    def _auth_data(self, flags: int) -> bytes:
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.sign_count)

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        data: dict[str, Any] = {
            "type": kind,
            "challenge": challenge,
            "origin": origin or self.origin,
            "crossOrigin": False,
        }
        return json.dumps(data).encode()
