"""Security keys (WebAuthn): registering and removing them, and checking one at sign-in.

py_webauthn makes the options and verifies the answers (challenge, origin, relying party id,
signature, counter); here: which challenge was given to whom (each usable once, for five
minutes), the stored keys, and the events. A refused answer is recorded and committed before
the refusal is raised (the challenge is spent and the failure on record whatever the caller
does next), as signing in with a password does (services/login.py).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from repatria.domain.access import require_operator
from repatria.domain.accounts import Principal, User
from repatria.domain.errors import InvalidInput, NotAuthenticated, NotFound
from repatria.i18n import N_
from repatria.services import users
from repatria.services.accounts import principal_of
from repatria.services.ports.accounts import SecurityKey
from repatria.services.unit_of_work import UnitOfWork, utcnow
from repatria.settings import Settings

CHALLENGE_MINUTES = 5
REGISTER, SIGN_IN = "register", "sign_in"
SIGN_IN_ACTOR = Principal.system("sign-in")  # the actor of a failure: nobody has signed in


@dataclass(frozen=True)
class RelyingParty:
    """Where keys are used: the origin people open Repatria at, and its host name (RP id)."""

    rp_id: str
    origin: str
    name: str = "Repatria"


def relying_party(settings: Settings) -> RelyingParty:
    """The relying party the settings describe (REPATRIA_WEBAUTHN_ORIGIN)."""
    return RelyingParty(rp_id=settings.webauthn_rp_id, origin=settings.webauthn_origin)


def list_keys(uow: UnitOfWork, user_id: int) -> list[SecurityKey]:
    """The user's keys, oldest first."""
    return uow.accounts.security_keys(user_id)


def has_keys(uow: UnitOfWork, user_id: int) -> bool:
    """True when the user has registered at least one key."""
    return uow.accounts.has_security_keys(user_id)


def begin_registration(uow: UnitOfWork, user: User, rp: RelyingParty) -> tuple[int, str]:
    """A challenge for registering a new key: its id and the options (JSON) for
    navigator.credentials.create(). Does not commit."""
    assert user.id is not None
    options = generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=rp.name,
        user_id=str(user.id).encode(),
        user_name=user.username,
        user_display_name=user.display_name,
        challenge=_new_challenge(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(uow, user.id),
    )
    return _store_challenge(uow, user.id, REGISTER, options.challenge), options_to_json(options)


def finish_registration(
    uow: UnitOfWork,
    user: User,
    rp: RelyingParty,
    challenge_id: int,
    credential: str,
    name: str,
) -> SecurityKey:
    """Check the authenticator's answer to the challenge and keep the key under its name;
    InvalidInput names what is wrong (recorded and committed first). Does not commit a
    success."""
    assert user.id is not None
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("name", N_("must be 1 to 100 characters"))
    challenge = _spend_challenge(uow, challenge_id, user.id, REGISTER)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        _refused(uow, user, "RefuseSecurityKey", str(exc))
        raise InvalidInput(
            "credential", N_("the security key's answer was refused: %(problem)s"), problem=exc
        ) from exc
    if uow.accounts.key_registered(verified.credential_id):
        raise InvalidInput("credential", N_("this security key is already registered"))
    now = utcnow()
    key_id = uow.accounts.add_security_key(
        user.id,
        name,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=",".join(_transports(credential)),
        created_at=now,
    )
    uow.record(
        principal_of(user),
        "RegisterSecurityKey",
        "user",
        user.id,
        after={"key": key_id, "name": name, "aaguid": verified.aaguid},
        states=[users.state_of(user)],
    )
    return SecurityKey(key_id, name, now, None)


def remove(uow: UnitOfWork, actor: Principal, key_id: int) -> SecurityKey:
    """Remove one of the actor's own keys (another's is not found). Does not commit."""
    found = [key for key in list_keys(uow, actor.user_id or 0) if key.id == key_id]
    if not found:
        raise NotFound("security key", key_id)
    uow.accounts.remove_security_key(key_id)
    user = users.own_account(uow, actor)
    uow.record(
        actor,
        "RemoveSecurityKey",
        "user",
        user.id,
        after={
            "key": key_id,
            "name": found[0].name,
            "keys_left": len(list_keys(uow, user.id or 0)),
        },
        states=[users.state_of(user)],
    )
    return found[0]


def remove_all(uow: UnitOfWork, actor: Principal, user_id: int, reason: str = "") -> int:
    """The installation's operator's way back for one who lost every key and every recovery
    code: their keys and codes go (how many keys), recorded as RemoveSecurityKeys; where the
    role requires a key, the next sign-in registers one again. Does not commit."""
    require_operator(actor, "remove a user's security keys")
    user = uow.accounts.user(user_id)
    if user is None:
        raise NotFound("user", user_id)
    keys = len(list_keys(uow, user_id))
    uow.accounts.remove_security_keys(user_id)
    uow.accounts.remove_recovery_codes(user_id)
    uow.record(
        actor,
        "RemoveSecurityKeys",
        "user",
        user_id,
        after={"username": user.username, "keys": keys},
        reason=reason,
        states=[users.state_of(user)],
    )
    return keys


def begin_assertion(uow: UnitOfWork, user: User, rp: RelyingParty) -> tuple[int, str]:
    """A challenge for signing in with one of the user's keys: its id and the options (JSON)
    for navigator.credentials.get(). Does not commit."""
    assert user.id is not None
    options = generate_authentication_options(
        rp_id=rp.rp_id,
        challenge=_new_challenge(),
        allow_credentials=_descriptors(uow, user.id),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return _store_challenge(uow, user.id, SIGN_IN, options.challenge), options_to_json(options)


def finish_assertion(
    uow: UnitOfWork, user: User, rp: RelyingParty, challenge_id: int, credential: str
) -> str:
    """Check a key's answer to the sign-in challenge; the key's name. NotAuthenticated says
    why not (recorded and committed first: a failed key assertion). Does not commit a
    success, whose event (SignInWithSecurityKey) the session's opening records."""
    assert user.id is not None
    challenge = _spend_challenge(uow, challenge_id, user.id, SIGN_IN)
    try:
        raw_id = base64url_to_bytes(str(json.loads(credential)["rawId"]))
        key = uow.accounts.key_credential(user.id, raw_id)
        if key is None:
            raise NotAuthenticated(N_("this is not one of your registered security keys"))
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, NotAuthenticated, ValueError, KeyError, TypeError) as exc:
        _refused(uow, user, "FailSecurityKey", str(exc))
        raise NotAuthenticated(
            N_("the security key's answer was refused: %(problem)s"), problem=exc
        ) from exc
    uow.accounts.key_used(key.id, verified.new_sign_count, utcnow())
    return key.name


def _new_challenge() -> bytes:
    return secrets.token_bytes(32)


def _descriptors(uow: UnitOfWork, user_id: int) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(
            id=key.credential_id,
            transports=[AuthenticatorTransport(name) for name in _known(key.transports)],
        )
        for key in uow.accounts.key_credentials(user_id)
    ]


def _known(transports: str) -> list[str]:
    names = {item.value for item in AuthenticatorTransport}
    return [name for name in transports.split(",") if name in names]


def _transports(credential: str) -> list[str]:
    # What the browser says the key speaks (usb, nfc, …), offered back at sign-in.
    try:
        given = json.loads(credential).get("response", {}).get("transports", [])
    except (ValueError, AttributeError):
        return []
    return _known(",".join(str(item) for item in given if isinstance(item, str)))[:8]


def _store_challenge(uow: UnitOfWork, user_id: int, purpose: str, challenge: bytes) -> int:
    now = utcnow()
    # A user's spent and expired challenges go as new ones are made.
    uow.accounts.forget_expired_challenges(user_id, now)
    return uow.accounts.add_challenge(
        user_id,
        purpose,
        challenge,
        created_at=now,
        expires_at=now + timedelta(minutes=CHALLENGE_MINUTES),
    )


def _spend_challenge(uow: UnitOfWork, challenge_id: int, user_id: int, purpose: str) -> bytes:
    # The challenge given to this user for this purpose, spent now: a second answer to it is
    # a replay. An unknown, spent or expired one is refused (and not recorded: it names no
    # attempt of a key).
    row = uow.accounts.challenge(challenge_id)
    if row is None or row.user_id != user_id or row.purpose != purpose:
        raise InvalidInput(
            "challenge_id", N_("names no security key request of yours: start again")
        )
    if row.used_at is not None:
        raise InvalidInput("challenge_id", N_("was already answered (a replay?): start again"))
    now = utcnow()
    if row.expires_at <= now:
        raise InvalidInput("challenge_id", N_("has expired: start again"))
    uow.accounts.spend_challenge(challenge_id, now)
    return bytes(row.challenge)


def _refused(uow: UnitOfWork, user: User, command: str, reason: str) -> None:
    uow.record(
        SIGN_IN_ACTOR if command == "FailSecurityKey" else principal_of(user),
        command,
        "user",
        user.id,
        after={"username": user.username},
        reason=reason[:500],
        states=[users.state_of(user)],
    )
    uow.commit()
