"""Settings read once from the environment (prefix REPATRIA_) through a cached accessor."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, PositiveInt, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from repatria.domain.accounts import Role

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development
# OWASP's minimum for argon2id (Password Storage Cheat Sheet): 19 MiB and two passes.
MIN_HASH_TIME_COST = 2
MIN_HASH_MEMORY_KIB = 19 * 1024


class Settings(BaseSettings):
    """Everything an operator can configure; see docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="REPATRIA_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./data/repatria.sqlite3"
    secret_key: str = DEVELOPMENT_SECRET
    session_hours: int = 12
    token_days: int = 30
    # A request body larger than this is refused (413) before anything reads it.
    max_body_bytes: PositiveInt = 1024 * 1024
    # The threads a server process runs its database work in at once (anyio's default is 40).
    # Python runs one at a time: more, and each request waits behind the others for its turn
    # (docs/decisions/0008-eight-threads-a-worker.md).
    threads: Annotated[int, Field(ge=2, le=256)] = 8
    # argon2id's cost for new password hashes: passes over memory, and the memory in KiB (the
    # defaults are argon2-cffi's: about a quarter of a second and 64 MiB). Production refuses
    # less than OWASP's minimum; the test suite sets them low so that signing in is cheap.
    password_hash_time_cost: PositiveInt = 3
    password_hash_memory_kib: PositiveInt = 64 * 1024
    host: str = "127.0.0.1"
    port: int = 8000
    # Ed25519 key (PEM, PKCS#8) that signs audit checkpoints; required outside development.
    audit_key_file: Path | None = None
    # Its public key (PEM, current key first, then retired ones): what every process but the
    # signing command reads. By default the key file's name with the suffix .pub.
    audit_public_key_file: Path | None = None
    # Append-only file outside the database that every signed checkpoint is also written to,
    # one a line; `audit verify` checks the log against it. Required in production.
    audit_witness_file: Path | None = None
    # Serving on an address other than loopback needs TLS here, or a reverse proxy that
    # terminates it: the addresses whose X-Forwarded-* headers are trusted (uvicorn's
    # --forwarded-allow-ips), e.g. "10.0.0.5".
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    forwarded_allow_ips: str | None = None
    # This installation's amendments to the law: a directory of YAML files layered over the
    # shipped law (docs/law.md, "Local amendments"); none by default.
    law_dir: Path | None = None
    # Each organisation's OpenID Connect provider (YAML; docs/configuration.md, "Connecting a
    # ministry's identity provider"); none by default: local passwords only.
    oidc_file: Path | None = None
    # Federation (docs/federation.md): the state this installation speaks for to its peers,
    # the Ed25519 key (PEM, PKCS#8) that signs its envelopes (generated beside the SQLite file
    # in development), and the delivery worker's and the inbox's limits.
    exchange_state: str | None = None
    exchange_key_file: Path | None = None
    exchange_worker: bool = True  # the server delivers its outbox in a background thread
    exchange_interval_seconds: float = 1.0
    exchange_max_gap: PositiveInt = 1000  # how far ahead of the next expected an arrival waits
    exchange_max_skew_seconds: PositiveInt = 300  # a message dated later than now + this
    exchange_max_age_days: PositiveInt = 30  # a message older than this is refused
    # The roles whose users sign in with a security key (WebAuthn) besides their password or
    # provider, comma-separated ("" for none); by default those who decide or administer (a
    # legal officer approves amendments to the law every case is judged by).
    require_security_key_roles: Annotated[frozenset[Role], NoDecode] = frozenset(
        {Role.REVIEWER, Role.VERIFIER, Role.LEGAL_OFFICER, Role.ADMIN}
    )
    # The address people open Repatria at, which security keys are bound to: its host is the
    # WebAuthn relying party id, so it is a name (https://, or http://localhost), never an IP.
    webauthn_origin: str = "http://localhost:8000"

    @field_validator("database_url")
    @classmethod
    def _use_psycopg_driver(cls, value: str) -> str:
        # Plain postgresql:// URLs would pick psycopg2, which we do not ship.
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @field_validator("require_security_key_roles", mode="before")
    @classmethod
    def _split_roles(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("webauthn_origin")
    @classmethod
    def _check_origin(cls, value: str) -> str:
        parts = urlsplit(value)
        host = parts.hostname or ""
        if parts.scheme not in ("https", "http") or parts.path not in ("", "/") or not host:
            raise ValueError("must be an origin such as https://repatria.example.gov")
        if host.replace(".", "").isdigit() or ":" in host:
            raise ValueError(
                "must name the host by name: an IP address is no WebAuthn relying party id "
                "(for this machine, http://localhost:PORT)"
            )
        if parts.scheme == "http" and host != "localhost":
            raise ValueError(
                "must be https:// (browsers offer security keys to http only on localhost)"
            )
        return value.rstrip("/")

    @property
    def webauthn_rp_id(self) -> str:
        """The WebAuthn relying party id: the origin's host name."""
        return urlsplit(self.webauthn_origin).hostname or "localhost"

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.env != "development" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError(
                "REPATRIA_SECRET_KEY must be set outside development "
                f"(REPATRIA_ENV={self.env}); the default secret is public"
            )
        if self.env == "production" and not (self.audit_public_key_file or self.audit_key_file):
            raise ValueError(
                "REPATRIA_AUDIT_PUBLIC_KEY_FILE (or REPATRIA_AUDIT_KEY_FILE for the signing"
                " command) must be set in production: without the key no checkpoint is checked"
            )
        if self.env == "production" and (
            self.password_hash_time_cost < MIN_HASH_TIME_COST
            or self.password_hash_memory_kib < MIN_HASH_MEMORY_KIB
        ):
            raise ValueError(
                "REPATRIA_PASSWORD_HASH_TIME_COST must be at least "
                f"{MIN_HASH_TIME_COST} and REPATRIA_PASSWORD_HASH_MEMORY_KIB at least "
                f"{MIN_HASH_MEMORY_KIB} in production (OWASP's minimum for argon2id)"
            )
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ValueError("REPATRIA_TLS_CERT_FILE and REPATRIA_TLS_KEY_FILE go together")
        if self.env == "production" and self.audit_witness_file is None:
            raise ValueError(
                "REPATRIA_AUDIT_WITNESS_FILE must be set in production: the checkpoints kept "
                "outside the database are what shows a rewritten or truncated record"
            )
        return self

    def serving_problem(self, host: str) -> str | None:
        """Why serving on this address would be unsafe in production, or None."""
        if self.env != "production" or host in LOOPBACK:
            return None
        if self.tls_cert_file is None and not self.forwarded_allow_ips:
            return (
                f"serving on {host} in production needs TLS (REPATRIA_TLS_CERT_FILE and"
                " REPATRIA_TLS_KEY_FILE) or the reverse proxy that terminates it"
                " (REPATRIA_FORWARDED_ALLOW_IPS)"
            )
        return None

    @property
    def database_kind(self) -> str:
        """'sqlite' or 'postgresql', as reported by the health endpoint."""
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"

    def sqlite_path(self) -> Path | None:
        """The SQLite file named by the URL, if the database is a SQLite file."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix) :])
        return None


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
