"""Browser fixtures: the application served by uvicorn on 127.0.0.1 over a fresh SQLite demo
database, and Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Response,
    expect,
    sync_playwright,
)
from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain.accounts import User
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.services import accounts

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox as root; no background traffic, which a closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the whole test session."""
    if not CHROMIUM.exists():
        # A missing browser is a failure, never a skip: `make test` installs it (make browser).
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def served_url(served_app: FastAPI) -> Iterator[str]:
    """The session's application on a free port of 127.0.0.1, served by uvicorn in a thread
    (started once: each test points the application at its own database, `live_server`)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(served_app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


@pytest.fixture
def live_server(app: FastAPI, served_url: str) -> str:
    """The served application, on the test's fresh database."""
    return served_url


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live server; fails the test on any
    console error (a Content-Security-Policy violation) or asset that fails to load."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # A refused page (404, 403) is expected in some tests; its assets must still load.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} for {response.url}")

    opened.on("console", on_console)
    opened.on("response", on_response)
    yield opened
    context.close()
    assert errors == [], errors


@pytest.fixture
def sign_in(page: Page, container: Container, live_server: str) -> Callable[[str], Page]:
    """Sign the page in as a demo user and open the dashboard: the session the login form
    opens once the password is right (`accounts.open_session`), set as its cookie. The form
    itself is driven where signing in is what a test is about (test_account.py, test_oidc.py,
    test_security_keys.py); elsewhere it cost two page loads a test."""

    def login(username: str) -> Page:
        with container.uow() as uow:
            user = uow.session.scalar(select(User).where(t.users.c.username == username))
            assert user is not None, username
            raw = accounts.open_session(uow, user, hours=8)
            uow.commit()
        page.context.add_cookies(
            [
                {
                    "name": SESSION_COOKIE,
                    "value": raw,
                    "url": live_server,
                    "httpOnly": True,
                    "secure": True,
                    "sameSite": "Lax",
                }
            ]
        )
        page.goto("/dashboard")
        expect(page).to_have_title("Dashboard — Repatria")
        return page

    return login


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact (test-artifacts/, ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Charts are images: wait until each has loaded and has a size, so none is blank.
    # (Polled from here: the pages' CSP forbids the eval that wait_for_function needs.)
    for image in page.locator("img").all():
        expect(image).to_have_js_property("complete", True)
        deadline = time.monotonic() + 10
        while image.evaluate("image => image.naturalWidth") == 0:
            assert time.monotonic() < deadline, "an image did not load"
            time.sleep(0.05)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
