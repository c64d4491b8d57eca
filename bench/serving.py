"""What the benchmarks that start real servers share: a free loopback port, a `repatria serve`
process that answers its health check, and an API token for a demo user."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import CredentialKind, Principal, User
from repatria.services import accounts


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(
    env: dict[str, str], port: int, *, workers: int = 1, wait_s: float = 90, name: str = "server"
) -> subprocess.Popen[bytes]:
    """`repatria serve` on 127.0.0.1:`port` with `env` over this process's environment, once
    its health check answers; exits the benchmark if it does not within `wait_s`."""
    command = [str(Path(sys.executable).parent / "repatria"), "serve"]
    args = ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(
        [*command, *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the {name} did not start")


def api_token(container: Container, username: str) -> str:
    """A day's API token of a demo user (the raw token)."""
    with container.uow() as uow:
        user = uow.session.scalar(select(User).where(t.users.c.username == username))
        assert user is not None, username
        _, raw = accounts.issue_credential(
            uow, Principal.system("bench"), user, CredentialKind.API, "bench", timedelta(1)
        )
        uow.commit()
    return raw
