"""The accounts repository: organisations, users, their tokens and how they sign in.

Users, organisations and tokens cross it as the mapped domain objects (domain/accounts.py: a
change to one is written with the unit of work); what signing in keeps beside them (attempts
counted, pending sign-ins, security keys, challenges, recovery codes) as the small records
below. The decisions (who may act, whether a token or a challenge is still good) stay in the
services.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from repatria.domain.accounts import Credential, Organisation, Role, User


@dataclass(frozen=True)
class TokenHolder:
    """What a session or API token stands for: the token's dates and its user, as stored."""

    expires_at: datetime
    revoked_at: datetime | None
    read_only: bool
    user_id: int
    username: str
    role: Role
    active: bool
    organisation_id: int
    state: str
    language: str | None


@dataclass(frozen=True)
class KeyedRead:
    """Named columns of one record of a kind (e.g. "case"), read by its id beside a token's
    holder; the id is always read, first."""

    record: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class StoredPassword:
    """The hash a user's password is checked against."""

    user_id: int
    password_hash: str


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in whose first factor passed, waiting for a security key."""

    id: int
    user_id: int
    issuer: str | None  # the identity provider of the first factor; None: a password
    failures: int
    expires_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class SecurityKey:
    """A registered key, as the account page lists it."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class KeyCredential:
    """What checking a registered key's answer needs (WebAuthn)."""

    id: int
    name: str
    credential_id: bytes
    public_key: bytes
    sign_count: int
    transports: str  # comma-separated, as the browser named them


@dataclass(frozen=True)
class Challenge:
    """A WebAuthn challenge given to a user for registering a key or signing in."""

    user_id: int
    purpose: str
    challenge: bytes
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class RecoveryCode:
    """An unused recovery code: its hash, found by the code's first group."""

    id: int
    code_hash: str


class Accounts(Protocol):
    """Reads and changes accounts inside one unit of work."""

    # Organisations and users

    def organisations(self) -> list[Organisation]:
        """Every organisation, by code."""

    def organisation_by_code(self, code: str) -> Organisation | None:
        """The organisation with that code."""

    def add_organisation(self, organisation: Organisation) -> None:
        """Store a new organisation (given its id)."""

    def user(self, user_id: int) -> User | None:
        """The user with that id, with its organisation."""

    def user_by_name(self, username: str) -> User | None:
        """The user with that username."""

    def user_by_provider(self, issuer: str, subject: str) -> User | None:
        """The user who signs in as that identity provider's subject."""

    def users(self, state: str | None = None) -> list[User]:
        """The users of the organisations of one state (None: every state), by username."""

    def add_user(self, user: User) -> None:
        """Store a new user (given its id)."""

    def password_of(self, username: str) -> StoredPassword | None:
        """The password hash of the user with that username."""

    def usernames(self, user_ids: Collection[int]) -> dict[int, str]:
        """The usernames of the users with those ids (the ids of none left out)."""

    # Sessions and API tokens

    def add_credential(self, credential: Credential, *, issuer: str | None = None) -> None:
        """Store a new token (given its id); `issuer`: the provider a session came through."""

    def credential(self, credential_id: int) -> Credential | None:
        """The token with that id, with its user."""

    def credential_by_token(self, token_hash: str) -> Credential | None:
        """The token whose digest that is."""

    def api_tokens_of(self, user_id: int) -> list[Credential]:
        """The user's API tokens, newest first."""

    def session_issuer(self, token_hash: str) -> str | None:
        """The identity provider the session with that digest was opened through."""

    def end_credentials(self, user_id: int, moment: datetime) -> int:
        """Revoke the user's open tokens and end their pending sign-ins; how many tokens."""

    def token_holder(self, token_hash: str) -> TokenHolder | None:
        """What the token with that digest stands for (one indexed read)."""

    def token_holder_reading(
        self, token_hash: str, read: KeyedRead, record_id: int
    ) -> tuple[TokenHolder | None, dict[str, Any] | None]:
        """`token_holder`, and the read's columns of the record with that id (None: there is
        none), in one statement."""

    # Failed sign-ins, counted per key ("account:<username>", "address:<ip>")

    def throttle(self, key: str, moment: datetime) -> tuple[int, datetime]:
        """The key's failures and last attempt, its row made if missing and locked until the
        transaction ends."""

    def throttle_failures(self, key: str) -> tuple[int, datetime]:
        """The key's failures and last attempt as counted."""

    def count_attempt(self, key: str, failures: int, moment: datetime) -> None:
        """Set the key's failures, its last attempt now."""

    def forget_throttles_before(self, moment: datetime) -> None:
        """Drop the counts whose last attempt is older than that."""

    def clear_failures(self, key: str) -> None:
        """Start the key afresh."""

    def give_back_failure(self, key: str) -> None:
        """Take one failure off the key's count (none below zero)."""

    # Sign-ins waiting for a security key

    def add_pending_sign_in(
        self,
        user_id: int,
        token_hash: str,
        issuer: str | None,
        *,
        created_at: datetime,
        expires_at: datetime,
    ) -> None:
        """Store a pending sign-in under its raw token's digest."""

    def pending_sign_in(self, token_hash: str) -> PendingSignIn | None:
        """The pending sign-in with that digest."""

    def count_pending_failure(self, pending_id: int) -> None:
        """Count one more wrong answer to the pending sign-in."""

    def end_pending_sign_in(self, pending_id: int, moment: datetime) -> bool:
        """End the pending sign-in; False when it had already ended."""

    # Security keys and their challenges

    def security_keys(self, user_id: int) -> list[SecurityKey]:
        """The user's keys, oldest first."""

    def has_security_keys(self, user_id: int) -> bool:
        """True when the user has registered a key."""

    def key_credentials(self, user_id: int) -> list[KeyCredential]:
        """What checking each of the user's keys needs, oldest first."""

    def key_credential(self, user_id: int, credential_id: bytes) -> KeyCredential | None:
        """The user's key with that WebAuthn credential id."""

    def key_registered(self, credential_id: bytes) -> bool:
        """True when a key with that WebAuthn credential id is registered (by anyone)."""

    def add_security_key(
        self,
        user_id: int,
        name: str,
        *,
        credential_id: bytes,
        public_key: bytes,
        sign_count: int,
        transports: str,
        created_at: datetime,
    ) -> int:
        """Store a new key for the user; the id it is given."""

    def key_used(self, key_id: int, sign_count: int, moment: datetime) -> None:
        """Keep the key's new signature counter and when it was last used."""

    def remove_security_key(self, key_id: int) -> None:
        """Remove one key."""

    def remove_security_keys(self, user_id: int) -> None:
        """Remove every key of the user."""

    def forget_expired_challenges(self, user_id: int, moment: datetime) -> None:
        """Drop the user's challenges expired by then."""

    def add_challenge(
        self,
        user_id: int,
        purpose: str,
        challenge: bytes,
        *,
        created_at: datetime,
        expires_at: datetime,
    ) -> int:
        """Store a challenge given to the user; its id."""

    def challenge(self, challenge_id: int) -> Challenge | None:
        """The challenge with that id."""

    def spend_challenge(self, challenge_id: int, moment: datetime) -> None:
        """Mark the challenge answered."""

    # Recovery codes

    def end_recovery_codes(self, user_id: int) -> int:
        """Remove the user's unused codes; how many there were."""

    def add_recovery_code(
        self, user_id: int, lookup: str, code_hash: str, created_at: datetime
    ) -> None:
        """Store a new code's hash under its lookup group."""

    def recovery_codes_left(self, user_id: int) -> int:
        """How many of the user's codes are unused."""

    def recovery_code(self, user_id: int, lookup: str) -> RecoveryCode | None:
        """The user's unused code with that lookup group."""

    def spend_recovery_code(self, code_id: int, moment: datetime) -> bool:
        """Mark the code used; False when it was used already."""

    def remove_recovery_codes(self, user_id: int) -> None:
        """Remove every code of the user, used or not."""
