"""Real OpenID Connect providers for the sign-in tests: oidc-provider-mock (a provider made for
testing, from PyPI) served on 127.0.0.1 in a thread, and the providers file naming them."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import werkzeug.serving

with warnings.catch_warnings():
    # The test provider uses Authlib's older modules, which warn as they are imported (Authlib
    # asks for its warnings "always" as it is imported: the filter must come after that).
    import authlib.deprecate  # noqa: F401

    warnings.simplefilter("ignore", DeprecationWarning)
    from oidc_provider_mock import User
    from oidc_provider_mock import app as provider_app

WsgiApp = Callable[..., Any]
TOKEN_PATH = "/oauth2/token"
DISCOVERY_PATH = "/.well-known/openid-configuration"
US_USERS = [
    User(
        sub="us-1001",
        claims={"preferred_username": "ana.officer", "name": "Ana Officer", "groups": ["officers"]},
    ),
    User(sub="us-1002", claims={"preferred_username": "ben", "groups": ["reviewers"]}),
    User(sub="us-1003", claims={"preferred_username": "carl", "groups": ["staff"]}),
]
MX_USERS = [User(sub="mx-77", claims={"usuario": "dora.v", "puesto": "verificador"})]
SV_USERS = [User(sub="sv-5", claims={"preferred_username": "eva", "groups": ["officers"]})]


def provider(users: list[User], *, another_issuer_at: str | None = None) -> WsgiApp:
    """A provider knowing these users, which requires a nonce. `another_issuer_at`: a path
    (TOKEN_PATH, DISCOVERY_PATH) whose answer names another issuer, localhost for 127.0.0.1
    (the mock names the host it is asked by: that path is asked as another host)."""
    app = provider_app(require_nonce=True, user_claims=users)
    if another_issuer_at is None:
        return app

    def naming_another_issuer(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == another_issuer_at:
            environ["HTTP_HOST"] = environ["HTTP_HOST"].replace("127.0.0.1", "localhost")
        return app(environ, start_response)

    return naming_another_issuer


def serve(app: WsgiApp) -> Iterator[str]:
    """Serve a WSGI application on a free port of 127.0.0.1 in a thread; yields its URL."""
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def providers_file(directory: Path, us: str, mx: str, sv: str) -> Path:
    """A providers file (REPATRIA_OIDC_FILE) for the demo's three states: the US maps groups
    and switches passwords off, Mexico maps another claim, El Salvador's is at `sv`."""
    secret = directory / "mx-client-secret"
    secret.write_text("mx-secret\n")
    path = directory / "oidc.yaml"
    path.write_text(
        f"""
organisations:
  us-iptu:
    label: US Justice Login
    issuer: {us}
    client_id: repatria-us
    client_secret: us-secret
    role_claim: groups
    roles:
      officers: case_officer
      reviewers: reviewer
    passwords: false
  mx-transfer:
    label: Llave SSPC
    issuer: {mx}
    client_id: repatria-mx
    client_secret_file: {secret}
    username_claim: usuario
    role_claim: puesto
    roles:
      verificador: verifier
  sv-dgcp:
    label: DGCP Acceso
    issuer: {sv}
    client_id: repatria-sv
    client_secret: sv-secret
    roles:
      officers: case_officer
"""
    )
    return path
