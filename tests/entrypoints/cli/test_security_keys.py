"""The operator's way back for a user who lost every security key and recovery code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from typer.testing import Result

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import User
from repatria.services import recovery_codes, security_keys, users
from repatria.services.accounts import principal_of
from repatria.services.security_keys import RelyingParty
from tests.services.soft_authenticator import SoftAuthenticator, challenge_of

RP = RelyingParty(rp_id="localhost", origin="http://localhost:8000")


@pytest.fixture
def database_content() -> str:
    return "demo"


def test_the_operator_removes_every_key_and_code_of_a_user_who_lost_them(
    repatria: Callable[..., Result], container: Container
) -> None:
    with container.uow() as uow:
        user = uow.session.get(User, users.id_of(uow, "mx-reviewer"))
        assert user is not None and user.id is not None
        challenge_id, options = security_keys.begin_registration(uow, user, RP)
        answer = SoftAuthenticator(origin=RP.origin, rp_id=RP.rp_id).create(challenge_of(options))
        security_keys.finish_registration(uow, user, RP, challenge_id, answer, "lost key")
        recovery_codes.generate(uow, principal_of(user), user)
        uow.commit()
        user_id = user.id
    removed = repatria("users", "remove-security-keys", "mx-reviewer", "--reason", "key lost")
    assert removed.exit_code == 0, removed.output
    assert "1 security key(s)" in removed.stdout
    with container.uow(read_only=True) as uow:
        assert security_keys.list_keys(uow, user_id) == []
        assert recovery_codes.remaining(uow, user_id) == 0
        event = uow.session.execute(
            select(t.events.c.command, t.events.c.reason).order_by(t.events.c.id.desc())
        ).first()
    assert event is not None and tuple(event) == ("RemoveSecurityKeys", "key lost")
