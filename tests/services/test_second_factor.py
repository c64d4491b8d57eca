"""The second factor at sign-in: who must present a key, the pending sign-in that holds no
session until the key or a recovery code is presented, and recovery codes (shown once, hashed,
each usable once). Keys' own checks are test_security_keys.py's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import CredentialKind, Principal, Role, User
from repatria.domain.errors import NotAuthenticated, SecurityKeyRequired
from repatria.services import accounts, recovery_codes, second_factor, security_keys, users
from repatria.services import login as signing_in
from repatria.services.accounts import principal_of
from repatria.services.commands import CreateOrganisation, CreateUser
from repatria.services.security_keys import RelyingParty
from tests.services.soft_authenticator import SoftAuthenticator, challenge_of

PASSWORD = "a long test password"
RP = RelyingParty(rp_id="localhost", origin="http://localhost:8000")
DECIDERS = frozenset({Role.REVIEWER, Role.VERIFIER, Role.ADMIN})


@pytest.fixture
def database_content() -> str:
    return "schema"


@pytest.fixture(autouse=True)
def _people(container: Container) -> None:
    operator = Principal.system("test")
    with container.uow() as uow:
        accounts.create_organisation(
            uow, operator, CreateOrganisation(code="us-iptu", name="US unit", state="US")
        )
        for username, role in (("us-reviewer", Role.REVIEWER), ("us-officer", Role.CASE_OFFICER)):
            command = CreateUser(
                username=username,
                display_name=username,
                password=PASSWORD,
                role=role,
                organisation_code="us-iptu",
            )
            accounts.create_user(uow, operator, command)
        uow.commit()


def _user(uow: object, username: str) -> User:
    found = uow.session.get(User, users.id_of(uow, username))  # type: ignore[attr-defined]
    assert found is not None
    return found


def _sessions(container: Container) -> int:
    with container.uow(read_only=True) as uow:
        found = uow.session.scalars(
            select(t.credentials.c.id).where(t.credentials.c.kind == CredentialKind.SESSION)
        )
        return len(list(found))


def _commands(container: Container) -> list[str]:
    with container.uow(read_only=True) as uow:
        return list(uow.session.scalars(select(t.events.c.command).order_by(t.events.c.id)))


def _login(container: Container, username: str, **options: object) -> str:
    with container.uow() as uow:
        _, raw = signing_in.login(uow, username, PASSWORD, "127.0.0.1", 1, **options)  # type: ignore[arg-type]
    return raw


def _with_key(container: Container, username: str) -> tuple[SoftAuthenticator, list[str]]:
    key = SoftAuthenticator(origin=RP.origin, rp_id=RP.rp_id)
    with container.uow() as uow:
        user = _user(uow, username)
        challenge_id, options = security_keys.begin_registration(uow, user, RP)
        uow.commit()
        answer = key.create(challenge_of(options))
        security_keys.finish_registration(uow, user, RP, challenge_id, answer, "key")
        codes = recovery_codes.generate(uow, principal_of(user), user)
        uow.commit()
    return key, codes


def test_a_password_alone_opens_a_session_where_no_key_is_needed(container: Container) -> None:
    _login(container, "us-officer", key_roles=DECIDERS)
    assert _sessions(container) == 1


def test_a_role_that_needs_a_key_gets_no_session_but_must_register_one(
    container: Container,
) -> None:
    with pytest.raises(SecurityKeyRequired) as required:
        _login(container, "us-reviewer", key_roles=DECIDERS)
    assert required.value.enrol and required.value.pending
    assert _sessions(container) == 0
    with container.uow(read_only=True) as uow:
        assert second_factor.pending(uow, required.value.pending).user.username == "us-reviewer"


def test_a_user_with_a_key_presents_it_whatever_the_setting(container: Container) -> None:
    key, _ = _with_key(container, "us-officer")
    with pytest.raises(SecurityKeyRequired) as required:
        _login(container, "us-officer")
    assert not required.value.enrol
    with container.uow() as uow:
        waiting = second_factor.pending(uow, required.value.pending)
        challenge_id, options = security_keys.begin_assertion(uow, waiting.user, RP)
        uow.commit()
        name = security_keys.finish_assertion(
            uow, waiting.user, RP, challenge_id, key.get(challenge_of(options))
        )
        raw = second_factor.finish(uow, waiting, 1, key=name)
        uow.commit()
        assert accounts.authenticate(uow, raw).username == "us-officer"
        with pytest.raises(NotAuthenticated):  # the pending sign-in is spent
            second_factor.pending(uow, required.value.pending)
    assert _commands(container)[-1] == "SignInWithSecurityKey"


def test_where_no_key_can_be_presented_a_password_is_refused_and_recorded(
    container: Container,
) -> None:
    with pytest.raises(SecurityKeyRequired) as required:
        _login(container, "us-reviewer", key_roles=DECIDERS, presents_key=False)
    assert required.value.pending == ""
    assert (_sessions(container), _commands(container)[-1]) == (0, "FailSignIn")


def test_a_recovery_code_signs_in_once_and_not_twice(container: Container) -> None:
    _, codes = _with_key(container, "us-reviewer")
    assert len(set(codes)) == recovery_codes.COUNT
    with container.uow() as uow:
        user = _user(uow, "us-reviewer")
        assert recovery_codes.use(uow, user, codes[3].upper())  # as typed from paper
        uow.commit()
        assert not recovery_codes.use(uow, user, codes[3])
        assert recovery_codes.remaining(uow, user.id or 0) == recovery_codes.COUNT - 1
    assert "UseRecoveryCode" in _commands(container)


def test_recovery_codes_are_stored_only_as_hashes(container: Container) -> None:
    _, codes = _with_key(container, "us-reviewer")
    with container.uow(read_only=True) as uow:
        stored = " ".join(uow.session.scalars(select(t.recovery_codes.c.code_hash)))
    assert stored.count("$argon2id$") == recovery_codes.COUNT
    assert not any(code.split("-", 1)[1] in stored for code in codes)


def test_new_recovery_codes_end_the_old_ones(container: Container) -> None:
    _, old = _with_key(container, "us-reviewer")
    with container.uow() as uow:
        user = _user(uow, "us-reviewer")
        new = recovery_codes.generate(uow, principal_of(user), user)
        uow.commit()
        assert not recovery_codes.use(uow, user, old[0])
        assert recovery_codes.use(uow, user, new[0])


def test_a_pending_sign_in_ends_after_five_wrong_answers(container: Container) -> None:
    _with_key(container, "us-reviewer")
    with pytest.raises(SecurityKeyRequired) as required:
        _login(container, "us-reviewer")
    for _ in range(second_factor.MAX_FAILURES):
        with container.uow() as uow:
            second_factor.failed(uow, second_factor.pending(uow, required.value.pending))
            uow.commit()
    with container.uow(read_only=True) as uow, pytest.raises(NotAuthenticated):
        second_factor.pending(uow, required.value.pending)


def test_signing_out_everywhere_ends_a_sign_in_waiting_for_its_key(container: Container) -> None:
    _with_key(container, "us-reviewer")
    with pytest.raises(SecurityKeyRequired) as required:
        _login(container, "us-reviewer")
    with container.uow() as uow:
        users.sign_out_everywhere(uow, principal_of(_user(uow, "us-reviewer")))
        uow.commit()
        with pytest.raises(NotAuthenticated):
            second_factor.pending(uow, required.value.pending)
