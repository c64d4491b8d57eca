"""API fixtures: clients of the application (tests/conftest.py: `app`) on a fresh demo
database, anonymous or authenticated as demo users."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import CredentialKind, Principal, User
from repatria.services import accounts

BASE_URL = "https://testserver"  # the session cookie is Secure, so the client speaks https


@pytest.fixture
def database_content() -> str:
    return "demo"


@pytest.fixture
def anonymous(app: object) -> Iterator[TestClient]:
    """A client with no credentials."""
    with TestClient(app, base_url=BASE_URL) as client:  # type: ignore[arg-type]
        yield client


def issue_token(container: Container, username: str, lifetime: timedelta) -> str:
    """A raw API token for a user, issued straight through the service."""
    with container.uow() as uow:
        user = uow.session.scalar(select(User).where(t.users.c.username == username))
        assert user is not None, username
        _, raw = accounts.issue_credential(
            uow, Principal.system("test"), user, CredentialKind.API, "test", lifetime
        )
        uow.commit()
    return raw


@pytest.fixture
def client_for(app: object, container: Container) -> Iterator[Callable[[str], TestClient]]:
    """Make a client authenticated as the named demo user by a bearer token."""
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        raw = issue_token(container, username, timedelta(days=1))
        client = TestClient(app, base_url=BASE_URL, headers={"Authorization": f"Bearer {raw}"})  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
