"""Signing in through an organisation's identity provider, from the checked ID token's claims
on: who is provisioned where and with which role, who is refused and why, what is recorded.
The protocol itself (a real provider, in Chromium) is tests/web/browser/test_oidc.py's."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Role
from repatria.domain.errors import NotAuthenticated, PasswordsSwitchedOff, SecurityKeyRequired
from repatria.services import accounts, oidc, second_factor
from repatria.services import login as signing_in
from repatria.services.demo import DEMO_PASSWORD
from repatria.services.oidc_providers import Provider

ISSUER = "https://login.justice.example"
US_PROVIDER = Provider(
    organisation="us-iptu",
    label="US Department of Justice",
    issuer=ISSUER,
    client_id="repatria",
    client_secret="not-a-real-secret",
    role_claim="groups",
    roles={"transfer-officers": Role.CASE_OFFICER, "transfer-reviewers": Role.REVIEWER},
    passwords=False,
)


@pytest.fixture
def database_content() -> str:
    return "demo"


def _claims(**extra: Any) -> dict[str, Any]:
    return {
        "iss": ISSUER,
        "sub": "a1b2c3",
        "preferred_username": "Jane.Doe",
        "name": "Jane Doe",
        "groups": ["staff", "transfer-officers"],
        **extra,
    }


def _sign_in(container: Container, claims: dict[str, Any]) -> Any:
    with container.uow() as uow:
        user, raw = oidc.sign_in(uow, US_PROVIDER, claims, 1)
        uow.commit()
        username = user.username
        assert accounts.authenticate(uow, raw).username == username
    found = _user(container, username)
    assert found is not None
    return found


def _events(container: Container, command: str) -> list[Any]:
    with container.engine.connect() as connection:
        return list(connection.execute(select(t.events).where(t.events.c.command == command)))


def _user(container: Container, username: str) -> Any:
    """The user's row, with its organisation's code (read after the unit ends)."""
    query = (
        select(t.users, t.organisations.c.code.label("organisation_code"))
        .join(t.organisations, t.organisations.c.id == t.users.c.organisation_id)
        .where(t.users.c.username == username)
    )
    with container.engine.connect() as connection:
        return connection.execute(query).first()


def test_a_first_sign_in_provisions_the_user_in_the_providers_organisation_with_the_mapped_role(
    container: Container,
) -> None:
    user = _sign_in(container, _claims())
    assert (user.username, user.display_name, user.role) == (
        "jane.doe",
        "Jane Doe",
        Role.CASE_OFFICER,
    )
    assert user.organisation_code == "us-iptu"
    assert (user.external_issuer, user.external_subject) == (ISSUER, "a1b2c3")
    (provisioned,) = _events(container, "ProvisionUser")
    assert provisioned.states == ["US"]
    assert provisioned.after["role"] == "case_officer"
    (signed_in,) = _events(container, "SignInWithProvider")
    assert signed_in.actor == "jane.doe"


def test_the_mapping_updates_an_existing_users_role_at_sign_in(container: Container) -> None:
    first = _sign_in(container, _claims())
    again = _sign_in(container, _claims(groups=["transfer-reviewers"], preferred_username="other"))
    assert (again.id, again.username, again.role) == (first.id, "jane.doe", Role.REVIEWER)
    (changed,) = _events(container, "ChangeRole")
    assert (changed.before, changed.after["role"], changed.states) == (
        {"role": "case_officer"},
        "reviewer",
        ["US"],
    )


def test_claims_that_map_to_no_role_are_refused_and_nobody_is_made(container: Container) -> None:
    with pytest.raises(oidc.SignInRefused, match="no groups value that maps to a role"):
        _sign_in(container, _claims(groups=["staff"]))
    assert _user(container, "jane.doe") is None


def test_claims_that_map_to_two_roles_are_refused(container: Container) -> None:
    both = ["transfer-officers", "transfer-reviewers"]
    with pytest.raises(oidc.SignInRefused, match="several roles"):
        _sign_in(container, _claims(groups=both))


def test_a_username_of_a_local_account_is_not_taken_over(container: Container) -> None:
    with pytest.raises(oidc.SignInRefused, match="belongs to another account"):
        _sign_in(container, _claims(preferred_username="us-admin"))
    admin = _user(container, "us-admin")
    assert admin is not None and admin.external_subject is None


def test_a_deactivated_user_is_refused(container: Container) -> None:
    user = _sign_in(container, _claims())
    with container.engine.begin() as connection:
        connection.execute(t.users.update().where(t.users.c.id == user.id).values(active=False))
    with pytest.raises(oidc.SignInRefused, match="deactivated"):
        _sign_in(container, _claims())


def test_a_refusal_is_recorded_with_the_organisations_state(container: Container) -> None:
    with container.uow() as uow:
        oidc.record_refusal(uow, "us-iptu", "replayed state", {"iss": ISSUER, "sub": "x"})
        uow.commit()
    (refused,) = _events(container, "RefuseSignInWithProvider")
    assert (refused.reason, refused.states, refused.after["sub"]) == ("replayed state", ["US"], "x")


def test_a_provisioned_user_has_no_password_that_signs_in(container: Container) -> None:
    _sign_in(container, _claims())
    with container.uow() as uow, pytest.raises(NotAuthenticated, match="wrong username"):
        signing_in.login(uow, "jane.doe", oidc.NO_PASSWORD, "192.0.2.1", 1)


def test_a_password_is_refused_where_the_organisation_switched_passwords_off(
    container: Container,
) -> None:
    with container.uow() as uow, pytest.raises(PasswordsSwitchedOff, match="identity provider"):
        signing_in.login(
            uow, "us-case-officer", DEMO_PASSWORD, "192.0.2.1", 1, passwords_off={"us-iptu"}
        )
    (failed,) = _events(container, "FailSignIn")
    assert failed.reason == "local passwords are switched off for the organisation"
    with container.uow() as uow:
        user, _ = signing_in.login(
            uow, "mx-case-officer", DEMO_PASSWORD, "192.0.2.1", 1, passwords_off={"us-iptu"}
        )
    assert user.username == "mx-case-officer"


def test_no_api_token_is_issued_for_a_password_where_passwords_are_switched_off(
    container: Container,
) -> None:
    with container.uow() as uow, pytest.raises(PasswordsSwitchedOff):
        signing_in.issue_token_with_password(
            uow, "us-case-officer", DEMO_PASSWORD, "cli", 1, passwords_off={"us-iptu"}
        )
    with container.engine.connect() as connection:
        assert not list(connection.execute(select(t.credentials)))


def test_an_account_linked_to_one_organisation_is_refused_through_anothers_provider(
    container: Container,
) -> None:
    _sign_in(container, _claims())
    mexican = US_PROVIDER.model_copy(update={"organisation": "mx-transfer", "label": "SSPC"})
    with container.uow() as uow, pytest.raises(oidc.SignInRefused, match="another organisation"):
        oidc.sign_in(uow, mexican, _claims(), 1)


REVIEWER_CLAIMS = {"groups": ["transfer-reviewers"]}
DECIDERS = frozenset({Role.REVIEWER})


def test_where_a_key_is_required_the_provider_alone_opens_no_session(
    container: Container,
) -> None:
    with container.uow() as uow:
        with pytest.raises(SecurityKeyRequired) as required:
            oidc.sign_in(uow, US_PROVIDER, _claims(**REVIEWER_CLAIMS), 1, key_roles=DECIDERS)
        uow.commit()  # the account and the pending sign-in, as the web does
        waiting = second_factor.pending(uow, required.value.pending)
        assert (waiting.user.username, waiting.issuer) == ("jane.doe", ISSUER)
    (signed_in,) = _events(container, "SignInWithProvider")
    assert signed_in.after["security_key"] == "due"
    with container.engine.connect() as connection:
        assert connection.scalar(select(t.credentials.c.id)) is None
    with container.uow() as uow:  # the key answered: the session keeps the provider's issuer
        waiting = second_factor.pending(uow, required.value.pending)
        raw = second_factor.finish(uow, waiting, 1, key="desk key")
        uow.commit()
        assert accounts.session_issuer(uow, raw) == ISSUER


def test_an_accepted_amr_stands_in_for_the_key_and_another_does_not(
    container: Container,
) -> None:
    vouching = US_PROVIDER.model_copy(update={"accepted_amr": ["hwk"]})
    with container.uow() as uow, pytest.raises(SecurityKeyRequired):
        claims = _claims(**REVIEWER_CLAIMS, amr=["pwd", "otp"])
        oidc.sign_in(uow, vouching, claims, 1, key_roles=DECIDERS)
    with container.uow() as uow:
        claims = _claims(**REVIEWER_CLAIMS, amr=["pwd", "hwk"])
        _, raw = oidc.sign_in(uow, vouching, claims, 1, key_roles=DECIDERS)
        uow.commit()
        assert accounts.authenticate(uow, raw).username == "jane.doe"
        assert accounts.session_issuer(uow, raw) == ISSUER
    (signed_in,) = _events(container, "SignInWithProvider")
    assert signed_in.after["accepted_amr"] == ["hwk"]
