"""`repatria demo federation`: two installations on loopback as peers, so a newcomer can watch
a case go from one state's Repatria to the other's in two browser tabs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console

from repatria.bootstrap import build
from repatria.entrypoints.cli.errors import cli_errors, fail
from repatria.services import demo
from repatria.services.exchange.demo import Instance, make_keys, pair, sign_checkpoint

console = Console()


def instances(directory: Path, us_port: int, mx_port: int) -> tuple[Instance, Instance]:
    """The US and Mexico, each with its SQLite database and keys under the directory."""
    return tuple(  # type: ignore[return-value]
        Instance(state, f"sqlite:///{directory / name}/repatria.sqlite3", directory / name, port)
        for state, name, port in (("US", "us", us_port), ("MX", "mx", mx_port))
    )


def prepare(instance: Instance) -> None:
    """Migrate its database, load the demo data once, make its keys."""
    instance.directory.mkdir(parents=True, exist_ok=True)
    container = build(instance.settings())
    container.upgrade()
    with container.uow() as uow:
        demo.load(uow)
        uow.commit()
    container.dispose()
    make_keys(instance)


def _serve(instance: Instance) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).parent / "repatria"), "serve"]
    env = {
        **os.environ,
        **instance.environment(),
        "REPATRIA_WEBAUTHN_ORIGIN": f"http://localhost:{instance.port}",
    }
    # the command is this installation's own `repatria`, its arguments ours
    return subprocess.Popen([*command, "--port", str(instance.port)], env=env)  # noqa: S603


def _wait_healthy(instance: Instance, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{instance.base_url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise fail(f"the {instance.state} server did not start on {instance.base_url}")


@cli_errors
def federation_command(
    directory: Annotated[
        Path, typer.Option(help="where both installations keep their databases and keys")
    ] = Path("data/federation"),
    us_port: Annotated[int, typer.Option(help="the US installation's port")] = 8000,
    mx_port: Annotated[int, typer.Option(help="Mexico's installation's port")] = 8001,
    checkpoint_seconds: Annotated[
        float, typer.Option(help="how often each record's checkpoint is signed (as cron would)")
    ] = 30.0,
) -> None:
    """Start the US (http://127.0.0.1:8000) and Mexico (http://127.0.0.1:8001) as peers, each
    with its own SQLite database and demo users; Ctrl-C stops both."""
    us, mx = instances(directory, us_port, mx_port)
    for instance in (us, mx):
        console.print(f"preparing {instance.state} in {instance.directory}")
        prepare(instance)
    pair(us, mx, build)
    for instance in (us, mx):
        sign_checkpoint(instance, build)
    servers = [(instance, _serve(instance)) for instance in (us, mx)]
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    # Ctrl-C and a service manager's TERM both stop the two servers, then this command.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for instance, process in servers:
            _wait_healthy(instance, process)
        console.print(
            f"\nThe US on {us.base_url}/ and Mexico on {mx.base_url}/ are peers.\n"
            f"Sign in with the demo logins (password {demo.DEMO_PASSWORD}): in the US tab as "
            "us-reviewer, approve a case at the US review (approve_sending); in the Mexico tab as "
            "mx-reviewer it appears awaiting Mexico's review. Mexico's decision comes back to "
            "the US case. The peers and the witness of each record: /peers (as an auditor).\n"
            "Ctrl-C stops both."
        )
        last = time.monotonic()
        while not stopping and all(process.poll() is None for _, process in servers):
            time.sleep(0.5)
            if time.monotonic() - last >= checkpoint_seconds:
                for instance in (us, mx):
                    sign_checkpoint(instance, build)
                last = time.monotonic()
    except KeyboardInterrupt:
        pass
    finally:
        for _, process in servers:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for _, process in servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    console.print("both installations stopped")
