"""Each organisation's OpenID Connect provider, read from the file REPATRIA_OIDC_FILE names.

The file (YAML) maps organisation codes to their provider: issuer, client id and secret (or a
file holding the secret), the claim that gives the username, the claim whose values map to one
role, and whether local passwords stay on. Secrets are never in the repository: they are in
this file or the secret file, both the operator's (docs/configuration.md).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from repatria.domain.access import OPERATOR_GRANTED
from repatria.domain.accounts import Role

DEFAULT_SCOPE = "openid profile email"


class Provider(BaseModel):
    """One organisation's identity provider, as the operator configured it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: str = ""  # the key it is given under in the file
    label: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    issuer: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    client_id: Annotated[str, StringConstraints(min_length=1)]
    client_secret: str | None = Field(default=None, repr=False)
    client_secret_file: Path | None = None
    scope: str = DEFAULT_SCOPE
    username_claim: str = "preferred_username"
    role_claim: str = "groups"
    # A value of the role claim -> the one role it grants (never admin or auditor).
    roles: dict[str, Role]
    passwords: bool = True  # False: this organisation's users may not sign in with one
    # Values of the ID token's `amr` claim (RFC 8176) that Repatria takes as the provider's
    # own phishing-resistant second factor, in place of a security key registered here (e.g.
    # ["hwk"]); none by default: where a key is required, it is asked for after the provider.
    accepted_amr: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] = []

    @model_validator(mode="after")
    def _check(self) -> Provider:
        if (self.client_secret is None) == (self.client_secret_file is None):
            raise ValueError("give exactly one of client_secret and client_secret_file")
        granted = sorted({role.value for role in self.roles.values()} & _operator_roles())
        if granted:
            raise ValueError(
                f"the role(s) {', '.join(granted)} are granted only by the installation's "
                "operator, never by an identity provider"
            )
        if "openid" not in self.scope.split():
            raise ValueError("the scope must include openid")
        return self

    @property
    def discovery_url(self) -> str:
        """Where the provider describes itself (OpenID Connect Discovery)."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    def secret(self) -> str:
        """The client secret, from the file itself or the secret file it names."""
        if self.client_secret is not None:
            return self.client_secret
        assert self.client_secret_file is not None
        return self.client_secret_file.read_text().strip()

    def roles_for(self, claims: Mapping[str, Any]) -> set[Role]:
        """The roles the claims map to (a user is given one: exactly one must be)."""
        value = claims.get(self.role_claim)
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return {self.roles[item] for item in values if isinstance(item, str) and item in self.roles}

    def vouched_second_factor(self, claims: Mapping[str, Any]) -> list[str]:
        """The `amr` values of the claims that this provider's settings accept as a second
        factor (none: Repatria asks for its own security key where one is needed)."""
        amr = claims.get("amr")
        given = amr if isinstance(amr, list) else []
        return sorted({item for item in given if isinstance(item, str)} & set(self.accepted_amr))


def _operator_roles() -> set[str]:
    return {role.value for role in OPERATOR_GRANTED}


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisations: dict[str, Provider]


def load(path: Path | None) -> dict[str, Provider]:
    """The providers by organisation code (none without a file); ValueError names a problem."""
    if path is None:
        return {}
    return dict(_load(path.resolve(), path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _load(path: Path, modified: int) -> tuple[tuple[str, Provider], ...]:
    # Read again when the file changes (its modification time is part of the key).
    try:
        parsed = _File.model_validate(yaml.safe_load(path.read_text()) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"the identity providers file {path} (REPATRIA_OIDC_FILE): {exc}") from exc
    return tuple(
        (code, provider.model_copy(update={"organisation": code}))
        for code, provider in sorted(parsed.organisations.items())
    )


def passwords_off(path: Path | None) -> frozenset[str]:
    """The organisations whose users may not sign in with a local password."""
    return frozenset(code for code, provider in load(path).items() if not provider.passwords)
