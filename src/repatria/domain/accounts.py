"""Organisations, users, roles and credentials."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Role(enum.StrEnum):
    """What a user does; each user has exactly one role in one organisation."""

    CASE_OFFICER = "case_officer"
    REVIEWER = "reviewer"
    VERIFIER = "verifier"
    FACILITY_ADMIN = "facility_admin"
    FINANCE = "finance"
    LEGAL_OFFICER = "legal_officer"  # proposes amendments to the law and reviews them
    AUDITOR = "auditor"
    ADMIN = "admin"


class CredentialKind(enum.StrEnum):
    """A browser session (cookie) or a machine's bearer token."""

    SESSION = "session"
    API = "api"


@dataclass(eq=False)
class Organisation:
    """One state's authority, such as a national transfer unit."""

    code: str
    name: str
    state: str
    id: int | None = None


@dataclass(eq=False)
class User:
    """A person who signs in; belongs to one organisation of one state."""

    username: str
    display_name: str
    password_hash: str
    role: Role
    organisation_id: int
    active: bool = True
    must_change_password: bool = False  # after an administrator's one-time reset
    # Signs in through its organisation's identity provider as this account (OpenID Connect).
    external_issuer: str | None = None
    external_subject: str | None = None
    language: str | None = None  # the language chosen on the account page (issue 20)
    organisation: Organisation | None = None
    id: int | None = None


@dataclass(eq=False)
class Credential:
    """A session or API token, stored only as a hash; revocable and expiring."""

    user_id: int
    kind: CredentialKind
    token_hash: str
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    read_only: bool = False  # an API token that may read and change nothing
    user: User | None = None
    id: int | None = None

    def usable_at(self, moment: datetime) -> bool:
        """True while neither revoked nor expired."""
        return token_usable(self.revoked_at, self.expires_at, moment)


def token_usable(revoked_at: datetime | None, expires_at: datetime, moment: datetime) -> bool:
    """A token is usable while neither revoked nor expired."""
    return revoked_at is None and moment < expires_at


@dataclass(frozen=True)
class Principal:
    """Who is acting: the user, their role and the state their organisation belongs to."""

    user_id: int | None
    username: str
    role: Role
    organisation_id: int | None
    state: str
    extra: dict[str, str] = field(default_factory=dict)
    read_only: bool = False  # signed in with a read-only API token: may change nothing
    language: str | None = None  # the user's chosen language, if any (repatria.i18n)

    @classmethod
    def system(cls, reason: str = "system") -> Principal:
        """The actor for work done by the operator's own commands (migrations, demo data)."""
        return cls(None, reason, Role.ADMIN, None, "*")
