"""Security keys at the service level, with real WebAuthn data from a software key: what is
registered and refused (another challenge, another origin, a replayed challenge, a counter
that goes back, another user's key), and what each step records. The browser's side
(Chromium's virtual authenticator) is tests/web/browser/test_security_keys.py's."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import Principal, Role, User
from repatria.domain.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from repatria.services import accounts, security_keys, users
from repatria.services.accounts import principal_of
from repatria.services.commands import CreateOrganisation, CreateUser
from repatria.services.security_keys import RelyingParty
from tests.services.soft_authenticator import SoftAuthenticator, b64url, challenge_of

PASSWORD = "a long test password"
RP = RelyingParty(rp_id="repatria.justice.example", origin="https://repatria.justice.example")


@pytest.fixture
def database_content() -> str:
    return "schema"


@pytest.fixture(autouse=True)
def _people(container: Container) -> None:
    # Two states' reviewers and a case officer, with a password each.
    operator = Principal.system("test")
    with container.uow() as uow:
        for code, state in (("us-iptu", "US"), ("mx-sspc", "MX")):
            accounts.create_organisation(
                uow, operator, CreateOrganisation(code=code, name=f"{state} unit", state=state)
            )
        for username, role, code in (
            ("us-reviewer", Role.REVIEWER, "us-iptu"),
            ("us-case-officer", Role.CASE_OFFICER, "us-iptu"),
            ("mx-reviewer", Role.REVIEWER, "mx-sspc"),
        ):
            command = CreateUser(
                username=username,
                display_name=username,
                password=PASSWORD,
                role=role,
                organisation_code=code,
            )
            accounts.create_user(uow, operator, command)
        uow.commit()


def _user(uow: object, username: str) -> User:
    found = uow.session.get(User, users.id_of(uow, username))  # type: ignore[attr-defined]
    assert found is not None
    return found


def _commands(container: Container) -> list[str]:
    with container.uow(read_only=True) as uow:
        return list(uow.session.scalars(select(t.events.c.command).order_by(t.events.c.id)))


def _register(
    container: Container, username: str, key: SoftAuthenticator, name: str = "blue key"
) -> None:
    with container.uow() as uow:
        user = _user(uow, username)
        challenge_id, options = security_keys.begin_registration(uow, user, RP)
        uow.commit()
        security_keys.finish_registration(
            uow, user, RP, challenge_id, key.create(challenge_of(options)), name
        )
        uow.commit()


def _assert(container: Container, username: str, answer: object) -> str:
    # Starts a sign-in challenge, lets `answer` (challenge -> JSON) answer it, checks it.
    with container.uow() as uow:
        user = _user(uow, username)
        challenge_id, options = security_keys.begin_assertion(uow, user, RP)
        uow.commit()
        name = security_keys.finish_assertion(
            uow,
            user,
            RP,
            challenge_id,
            answer(challenge_of(options)),  # type: ignore[operator]
        )
        uow.commit()
        return name


def _key() -> SoftAuthenticator:
    return SoftAuthenticator(origin=RP.origin, rp_id=RP.rp_id)


def test_a_registered_key_signs_in_and_its_counter_and_last_use_are_kept(
    container: Container,
) -> None:
    key = _key()
    _register(container, "us-reviewer", key)
    assert _assert(container, "us-reviewer", key.get) == "blue key"
    with container.uow(read_only=True) as uow:
        [listed] = security_keys.list_keys(uow, users.id_of(uow, "us-reviewer"))
        stored = uow.session.execute(select(t.security_keys.c.sign_count)).scalar_one()
    assert (listed.name, listed.last_used_at is not None, stored) == ("blue key", True, 1)
    assert _commands(container)[-1] == "RegisterSecurityKey"


def test_a_registration_answering_another_challenge_is_refused_and_recorded(
    container: Container,
) -> None:
    key = _key()
    with container.uow() as uow:
        user = _user(uow, "us-reviewer")
        challenge_id, _ = security_keys.begin_registration(uow, user, RP)
        uow.commit()
        with pytest.raises(InvalidInput) as refused:
            security_keys.finish_registration(
                uow, user, RP, challenge_id, key.create(b64url(b"not the challenge")), "k"
            )
    assert refused.value.field == "credential"
    assert _commands(container)[-1] == "RefuseSecurityKey"
    with container.uow(read_only=True) as uow:
        assert security_keys.list_keys(uow, users.id_of(uow, "us-reviewer")) == []


def test_a_registration_made_on_another_origin_is_refused(container: Container) -> None:
    key = _key()
    with container.uow() as uow:
        user = _user(uow, "us-reviewer")
        challenge_id, options = security_keys.begin_registration(uow, user, RP)
        uow.commit()
        answer = key.create(challenge_of(options), origin="https://repatria.phish.example")
        with pytest.raises(InvalidInput, match="origin"):
            security_keys.finish_registration(uow, user, RP, challenge_id, answer, "k")


def test_a_key_answering_another_challenge_does_not_sign_in(container: Container) -> None:
    key = _key()
    _register(container, "us-reviewer", key)
    with pytest.raises(NotAuthenticated, match="refused"):
        _assert(container, "us-reviewer", lambda _: key.get(b64url(b"an old challenge")))
    assert _commands(container)[-1] == "FailSecurityKey"


def test_a_key_answering_on_another_origin_does_not_sign_in(container: Container) -> None:
    key = _key()
    _register(container, "us-reviewer", key)
    with pytest.raises(NotAuthenticated, match="origin"):
        _assert(
            container,
            "us-reviewer",
            lambda challenge: key.get(challenge, origin="https://repatria.phish.example"),
        )


def test_a_challenge_answered_once_is_refused_the_second_time(container: Container) -> None:
    key = _key()
    _register(container, "us-reviewer", key)
    with container.uow() as uow:
        user = _user(uow, "us-reviewer")
        challenge_id, options = security_keys.begin_assertion(uow, user, RP)
        uow.commit()
        answer = key.get(challenge_of(options))
        security_keys.finish_assertion(uow, user, RP, challenge_id, answer)
        uow.commit()
        with pytest.raises(InvalidInput, match="already answered"):
            security_keys.finish_assertion(uow, user, RP, challenge_id, answer)


def test_a_key_whose_counter_goes_back_is_refused_as_a_clone(container: Container) -> None:
    key = _key()
    _register(container, "us-reviewer", key)
    clone = copy.deepcopy(key)
    _assert(container, "us-reviewer", key.get)
    _assert(container, "us-reviewer", key.get)
    with pytest.raises(NotAuthenticated, match="sign count"):
        _assert(container, "us-reviewer", clone.get)  # counter 1, after 2
    assert _commands(container)[-1] == "FailSecurityKey"


def test_another_users_key_does_not_sign_in(container: Container) -> None:
    theirs = _key()
    _register(container, "mx-reviewer", theirs)
    _register(container, "us-reviewer", _key())
    with pytest.raises(NotAuthenticated, match="not one of your"):
        _assert(container, "us-reviewer", theirs.get)


def test_a_challenge_given_to_another_user_is_refused(container: Container) -> None:
    key = _key()
    with container.uow() as uow:
        challenge_id, options = security_keys.begin_registration(uow, _user(uow, "mx-reviewer"), RP)
        uow.commit()
        with pytest.raises(InvalidInput, match="no security key request of yours"):
            security_keys.finish_registration(
                uow,
                _user(uow, "us-reviewer"),
                RP,
                challenge_id,
                key.create(challenge_of(options)),
                "k",
            )


def test_a_key_registered_twice_is_refused(container: Container) -> None:
    key = _key()
    _register(container, "us-reviewer", key)
    with pytest.raises(InvalidInput, match="already registered"):
        _register(container, "us-reviewer", key)


def test_one_removes_ones_own_key_and_not_anothers(container: Container) -> None:
    _register(container, "us-reviewer", _key())
    with container.uow() as uow:
        [key] = security_keys.list_keys(uow, users.id_of(uow, "us-reviewer"))
        other = principal_of(_user(uow, "mx-reviewer"))
        with pytest.raises(NotFound):
            security_keys.remove(uow, other, key.id)
        security_keys.remove(uow, principal_of(_user(uow, "us-reviewer")), key.id)
        uow.commit()
        assert security_keys.list_keys(uow, users.id_of(uow, "us-reviewer")) == []
    assert _commands(container)[-1] == "RemoveSecurityKey"


def test_a_name_is_required_for_a_key(container: Container) -> None:
    with pytest.raises(InvalidInput) as refused:
        _register(container, "us-reviewer", _key(), name="  ")
    assert refused.value.field == "name"


def test_only_the_operator_removes_all_of_a_users_keys(container: Container) -> None:
    _register(container, "us-reviewer", _key())
    with container.uow() as uow:
        administrator = principal_of(_user(uow, "mx-reviewer"))
        with pytest.raises(PermissionDenied, match="operator"):
            security_keys.remove_all(uow, administrator, users.id_of(uow, "us-reviewer"))
        removed = security_keys.remove_all(
            uow, Principal.system("operator"), users.id_of(uow, "us-reviewer"), "lost"
        )
        uow.commit()
        assert removed == 1
        assert security_keys.list_keys(uow, users.id_of(uow, "us-reviewer")) == []
    assert _commands(container)[-1] == "RemoveSecurityKeys"
