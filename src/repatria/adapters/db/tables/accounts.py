"""Organisations, users and how they sign in: passwords, tokens, security keys."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    false,
)

from repatria.adapters.db.tables.base import Id, Moment, metadata
from repatria.adapters.db.types import EnumValue
from repatria.domain.accounts import CredentialKind, Role

organisations = Table(
    "organisations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("state", String(2), nullable=False, index=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("role", EnumValue(Role, 20), nullable=False),
    Column("organisation_id", Id, ForeignKey("organisations.id"), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("must_change_password", Boolean, nullable=False, default=False),
    # The identity provider's account this user signs in as (OpenID Connect: `iss`, `sub`).
    Column("external_issuer", String(300)),
    Column("external_subject", String(255)),
    # The language the user reads Repatria in (en, es or a locale such as es_SV); NULL:
    # the header's switch or the browser decides (repatria.i18n).
    Column("language", String(8)),
    UniqueConstraint(
        "external_issuer", "external_subject", name="uq_users_external_issuer_subject"
    ),
)

# Failed sign-ins per account ("account:<username>") and per client address
# ("address:<ip>"), kept in the database so every worker process counts the same attempts.
login_throttles = Table(
    "login_throttles",
    metadata,
    Column("id", Id, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("failures", Integer, nullable=False),
    Column("last_attempt_at", Moment, nullable=False),
)

credentials = Table(
    "credentials",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("kind", EnumValue(CredentialKind, 10), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("revoked_at", Moment),
    Column("read_only", Boolean, nullable=False, server_default=false()),
    # A browser session opened through an identity provider: its issuer (RP-initiated logout).
    Column("issuer", String(300)),
)

# Security keys (WebAuthn) and what signing in with one needs (services/security_keys.py).
security_keys = Table(
    "security_keys",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("credential_id", LargeBinary(1023), nullable=False, unique=True),
    Column("public_key", LargeBinary(2048), nullable=False),
    Column("sign_count", BigInteger, nullable=False),
    Column("transports", String(200), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("last_used_at", Moment),
)
# One-time codes that stand in for a lost key: an argon2 hash of each, found by its lookup
# (the code's first group, not secret).
recovery_codes = Table(
    "recovery_codes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("lookup", String(8), nullable=False),
    Column("code_hash", String(200), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("used_at", Moment),
)
# A WebAuthn challenge, given once and usable once, for registering a key or signing in.
webauthn_challenges = Table(
    "webauthn_challenges",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("purpose", String(20), nullable=False),
    Column("challenge", LargeBinary(64), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("used_at", Moment),
)
# A sign-in whose first factor (password, or provider) passed and whose key is still due: no
# session exists yet; the browser holds the raw token (a cookie), stored here as its digest.
pending_sign_ins = Table(
    "pending_sign_ins",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issuer", String(300)),  # the provider that vouched for the first factor, if any
    Column("failures", Integer, nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("ended_at", Moment),
)
