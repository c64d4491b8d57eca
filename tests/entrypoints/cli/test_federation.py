"""`repatria demo federation`: two installations on loopback, each with its own database and
demo users, as peers: a case the US approves at its review appears in Mexico's Repatria
awaiting Mexico's review; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import build
from repatria.entrypoints.cli.federation import instances
from tests.entrypoints.api.federation import client, free_port, states_of, wait_for

pytestmark = pytest.mark.slow


def test_the_demo_starts_two_peers_a_case_crosses_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    us_port, mx_port = free_port(), free_port()
    command = [str(Path(sys.executable).parent / "repatria"), "demo", "federation"]
    options = ["--directory", str(tmp_path), "--us-port", str(us_port), "--mx-port", str(mx_port)]
    env = {
        **os.environ,
        "REPATRIA_PASSWORD_HASH_TIME_COST": "1",
        "REPATRIA_PASSWORD_HASH_MEMORY_KIB": "64",
        "REPATRIA_EXCHANGE_INTERVAL_SECONDS": "0.2",
    }
    log = (tmp_path / "demo.log").open("wb")
    demo = subprocess.Popen([*command, *options], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        us, mx = instances(tmp_path, us_port, mx_port)
        wait_for("both servers", lambda: _up(us.base_url) and _up(mx.base_url), seconds=180)
        container = build(us.settings())
        with container.uow(read_only=True) as uow:
            case = uow.session.execute(
                select(t.cases.c.id, t.cases.c.reference).where(
                    t.cases.c.state == "sending_review", t.cases.c.to_state == "MX"
                )
            ).first()
        container.dispose()
        assert case is not None
        answer = client(us, "us-reviewer").post(
            f"/cases/{case.id}/transitions", json={"command": "approve_sending"}
        )
        assert answer.status_code == 200, answer.text
        mexico = client(mx, "mx-reviewer")
        wait_for(
            "the request in Mexico",
            lambda: states_of(mexico, [case.reference]) == {case.reference: "receiving_review"},
        )
    finally:
        demo.send_signal(signal.SIGINT)
        code = demo.wait(timeout=60)
    assert code == 0, (tmp_path / "demo.log").read_text()[-2000:]
    time.sleep(0.5)
    assert not _up(us.base_url) and not _up(mx.base_url)


def _up(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/api/v1/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
