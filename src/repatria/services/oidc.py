"""Signing in through one's organisation's OpenID Connect provider.

The protocol (discovery, PKCE, state, nonce, the ID token's signature, issuer, audience and
expiry) is Authlib's, at the edge (entrypoints/web/oidc.py); what reaches here are the ID
token's claims, already checked. Here: who they are, in which organisation, with which role.
A user is made on first sign-in only in the provider's organisation and only with a role the
claims map to; an existing user's role follows the mapping at each sign-in.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from repatria.domain.accounts import Organisation, Principal, Role, User
from repatria.domain.errors import NotAuthenticated, SecurityKeyRequired
from repatria.i18n import N_
from repatria.services import second_factor
from repatria.services.accounts import open_session, principal_of
from repatria.services.oidc_providers import Provider
from repatria.services.unit_of_work import UnitOfWork

SIGN_IN = Principal.system("sign-in")  # the actor of provisioning and refusals
# A provisioned user has no password: this is no argon2 hash, so none ever matches it.
NO_PASSWORD = "!signs-in-through-its-identity-provider"  # noqa: S105 - not a secret
USERNAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


class SignInRefused(NotAuthenticated):
    """The provider vouched for someone Repatria will not let in; the message says why."""


def sign_in(
    uow: UnitOfWork,
    provider: Provider,
    claims: Mapping[str, Any],
    hours: int,
    *,
    key_roles: Collection[Role] = (),
) -> tuple[User, str]:
    """The user the checked ID token's claims stand for, made or updated, with a new browser
    session (the raw token); SignInRefused says why not. One who must present a security key
    (who has one, or whose role is in `key_roles`) gets SecurityKeyRequired instead, unless
    the provider vouched for a second factor its settings accept (`accepted_amr`); the
    account and the pending sign-in are then in the unit, for the caller to commit. Does not
    commit."""
    organisation = uow.accounts.organisation_by_code(provider.organisation)
    if organisation is None:
        raise SignInRefused(
            N_("there is no organisation %(organisation)s"),
            organisation=repr(provider.organisation),
        )
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SignInRefused(N_("the provider named no subject (sub)"))
    role = _role(provider, claims)
    user = uow.accounts.user_by_provider(provider.issuer, subject)
    if user is None:
        user = _provision(uow, provider, organisation, subject, claims, role)
    else:
        _update(uow, provider, organisation, user, role)
    vouched = provider.vouched_second_factor(claims)
    after = {"issuer": provider.issuer, "role": user.role.value, "accepted_amr": vouched}
    if not vouched and second_factor.key_needed(uow, user, key_roles):
        pending = second_factor.begin(uow, user, provider.issuer)
        uow.record(
            principal_of(user),
            "SignInWithProvider",
            "user",
            user.id,
            after={**after, "security_key": "due"},
            states=[organisation.state],
        )
        raise SecurityKeyRequired(N_("present your security key to finish signing in"), pending)
    # Signing out ends the provider's session too, where it says how (RP-initiated logout).
    raw = open_session(uow, user, hours, issuer=provider.issuer)
    uow.record(
        principal_of(user),
        "SignInWithProvider",
        "user",
        user.id,
        after=after,
        states=[organisation.state],
    )
    return user, raw


def record_refusal(
    uow: UnitOfWork, organisation_code: str, reason: str, claims: Mapping[str, Any] | None = None
) -> None:
    """Record a refused sign-in through a provider (in its own unit: the refused one rolled
    back), with the organisation's state."""
    organisation = uow.accounts.organisation_by_code(organisation_code)
    states = [organisation.state] if organisation is not None else []
    who = {key: claims.get(key) for key in ("iss", "sub")} if claims else {}
    uow.record(
        SIGN_IN,
        "RefuseSignInWithProvider",
        "organisation",
        organisation.id if organisation is not None else organisation_code,
        after={"organisation": organisation_code, **who},
        reason=reason,
        states=states,
    )


def _role(provider: Provider, claims: Mapping[str, Any]) -> Role:
    roles = provider.roles_for(claims)
    if not roles:
        raise SignInRefused(
            N_(
                "%(provider)s gave no %(claim)s value that maps to a role in "
                "Repatria: ask your administrator to grant you one"
            ),
            provider=provider.label,
            claim=provider.role_claim,
        )
    if len(roles) > 1:
        names = ", ".join(sorted(role.value for role in roles))
        raise SignInRefused(
            N_(
                "%(provider)s gave %(claim)s values that map to several roles "
                "(%(roles)s); a user has exactly one"
            ),
            provider=provider.label,
            claim=provider.role_claim,
            roles=names,
        )
    return roles.pop()


def _provision(
    uow: UnitOfWork,
    provider: Provider,
    organisation: Organisation,
    subject: str,
    claims: Mapping[str, Any],
    role: Role,
) -> User:
    username = claims.get(provider.username_claim)
    if not isinstance(username, str) or not _valid_username(username.lower()):
        raise SignInRefused(
            N_("%(provider)s gave no usable username in the claim %(claim)s"),
            provider=provider.label,
            claim=provider.username_claim,
        )
    username = username.lower()
    if uow.accounts.user_by_name(username) is not None:
        raise SignInRefused(
            N_(
                "the username %(username)s belongs to another account; an administrator must "
                "resolve it"
            ),
            username=repr(username),
        )
    name = claims.get("name")
    assert organisation.id is not None
    user = User(
        username=username,
        display_name=name if isinstance(name, str) and name.strip() else username,
        password_hash=NO_PASSWORD,
        role=role,
        organisation_id=organisation.id,
        organisation=organisation,
        external_issuer=provider.issuer,
        external_subject=subject,
    )
    uow.accounts.add_user(user)
    uow.record(
        SIGN_IN,
        "ProvisionUser",
        "user",
        user.id,
        after={
            "username": username,
            "role": role.value,
            "organisation": organisation.code,
            "issuer": provider.issuer,
            "subject": subject,
        },
        states=[organisation.state],
    )
    return user


def _update(
    uow: UnitOfWork, provider: Provider, organisation: Organisation, user: User, role: Role
) -> None:
    if user.organisation_id != organisation.id:
        raise SignInRefused(
            N_("this account belongs to another organisation than %(provider)s"),
            provider=provider.label,
        )
    if not user.active:
        raise SignInRefused(N_("this account is deactivated"))
    if role is not user.role:
        before = {"role": user.role.value}
        user.role = role
        uow.record(
            SIGN_IN,
            "ChangeRole",
            "user",
            user.id,
            before=before,
            after={"role": role.value, "by": provider.issuer},
            reason=f"the role mapped from {provider.label}'s {provider.role_claim}",
            states=[organisation.state],
        )


def _valid_username(username: str) -> bool:
    # What CreateUser allows: a letter or digit, then 1 to 79 of these characters.
    return (
        2 <= len(username) <= 80
        and username[0].isascii()
        and username[0].isalnum()
        and set(username) <= USERNAME_CHARACTERS
    )
