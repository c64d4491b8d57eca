"""Signing in through one's organisation's OpenID Connect provider (Authlib's Starlette client).

Authlib does the protocol: discovery, the authorization code flow with PKCE (S256), state and
nonce kept in a signed cookie bound to this browser (`OidcSession`), the code exchanged for
tokens, and the ID token's signature, issuer, audience, nonce and expiry checked. What the
claims then mean (organisation, username, role) is services/oidc.py's.
"""

from __future__ import annotations

import warnings
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from joserfc.errors import InvalidClaimError, JoseError
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from repatria.bootstrap import Container
from repatria.domain.errors import SecurityKeyRequired
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import second_factor, security
from repatria.entrypoints.web.auth import refused_login_page
from repatria.entrypoints.web.deps import AppContainer
from repatria.entrypoints.web.routing import web_router
from repatria.i18n import N_
from repatria.services import oidc, oidc_providers
from repatria.services.oidc_providers import Provider

with warnings.catch_warnings():
    # Authlib 1.9 warns that it prefers the httpx2 fork; it works with httpx, which Starlette's
    # test client uses too.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

router = web_router()
PREFIX = "/login/oidc/"
STATE_COOKIE = "repatria_oidc"
STATE_SECONDS = 600  # time to sign in at the provider
_clients: dict[tuple[str, str, str, str], StarletteOAuth2App] = {}


class OidcSession(SessionMiddleware):
    """Starlette's signed-cookie session, for the sign-in routes only: Authlib keeps the
    state, nonce and PKCE verifier of a sign-in in progress there. Other requests pass by."""

    def __init__(self, app: ASGIApp, secret_key: str) -> None:
        super().__init__(
            app,
            secret_key=secret_key,
            session_cookie=STATE_COOKIE,
            max_age=STATE_SECONDS,
            path=PREFIX.rstrip("/"),
            same_site="lax",  # the provider sends the browser back with a top-level GET
            https_only=True,
        )
        self.inner = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX):
            await super().__call__(scope, receive, send)
        else:
            await self.inner(scope, receive, send)


def providers(container: Container) -> dict[str, Provider]:
    """The configured providers by organisation code (for the login page's buttons)."""
    return oidc_providers.load(container.settings.oidc_file)


def _client(provider: Provider) -> StarletteOAuth2App:
    # One client per provider and process: it caches the provider's metadata and keys.
    key = (provider.organisation, provider.issuer, provider.client_id, provider.secret())
    if key not in _clients:
        registry = OAuth()
        _clients[key] = registry.register(
            name=provider.organisation,
            client_id=provider.client_id,
            client_secret=provider.secret(),
            server_metadata_url=provider.discovery_url,
            client_kwargs={"scope": provider.scope, "code_challenge_method": "S256"},
        )
    return _clients[key]


class _NoProvider(oidc.SignInRefused):
    """No provider is configured for the organisation named in the path (404)."""


def _provider(container: Container, organisation: str) -> Provider:
    found = providers(container).get(organisation)
    if found is None:
        raise _NoProvider(
            N_("the organisation %(organisation)s has no identity provider"),
            organisation=repr(organisation),
        )
    return found


@router.get("/login/oidc/{organisation}", name="oidc_start")
async def start(request: Request, organisation: str, container: AppContainer) -> Response:
    """Send the browser to the organisation's provider to sign in."""
    try:
        provider = _provider(container, organisation)
        client = _client(provider)
        await _check_issuer(client, provider)
        callback = str(request.url_for("oidc_callback", organisation=organisation))
        response: Response = await client.authorize_redirect(request, callback)
    except _NoProvider as exc:
        return await _refused(request, container, organisation, exc, 404)
    except oidc.SignInRefused as exc:  # the provider describes another issuer
        return await _refused(request, container, organisation, exc, 502)
    except (AuthlibBaseError, JoseError, httpx.HTTPError, ValueError) as exc:
        return await _refused(request, container, organisation, _reason(exc), 502)
    return response


@router.get("/login/oidc/{organisation}/callback", name="oidc_callback")
async def callback(request: Request, organisation: str, container: AppContainer) -> Response:
    """Where the provider sends the browser back: the code becomes a checked ID token, and
    the ID token a session."""
    claims: dict[str, Any] | None = None
    try:
        provider = _provider(container, organisation)
    except _NoProvider as exc:
        return await _refused(request, container, organisation, exc, 404)
    try:
        client = _client(provider)
        issuer = await _check_issuer(client, provider)
        token = await client.authorize_access_token(
            request, claims_options={"iss": {"essential": True, "value": issuer}}
        )
        if "userinfo" not in token:
            raise oidc.SignInRefused(N_("the provider sent no ID token"))
        claims = dict(token["userinfo"])
        raw, key_due = await run_in_threadpool(_sign_in, container, provider, claims)
    except oidc.SignInRefused as exc:
        return await _refused(request, container, organisation, exc, 403, claims)
    except (AuthlibBaseError, JoseError, httpx.HTTPError, ValueError) as exc:
        return await _refused(request, container, organisation, _reason(exc), 401)
    if key_due:  # the provider vouched for the password; the key is still to come
        return second_factor.start(raw)
    response = RedirectResponse("/dashboard", status_code=303)
    hours = container.settings.session_hours
    security.set_cookie(response, SESSION_COOKIE, raw, hours * 3600)
    return response


async def _check_issuer(client: StarletteOAuth2App, provider: Provider) -> str:
    # OpenID Connect Discovery: the document must name the issuer it was fetched for.
    metadata = await client.load_server_metadata()
    issuer = str(metadata.get("issuer", ""))
    if issuer.rstrip("/") != provider.issuer.rstrip("/"):
        raise oidc.SignInRefused(
            N_("the provider at %(issuer)s calls itself %(named)s"),
            issuer=provider.issuer,
            named=issuer or "nothing",
        )
    return issuer


def _sign_in(container: Container, provider: Provider, claims: dict[str, Any]) -> tuple[str, bool]:
    # A session's raw token, or a pending sign-in's with True while a security key is due.
    settings = container.settings
    with container.uow(gated=True) as uow:
        try:
            _, raw = oidc.sign_in(
                uow,
                provider,
                claims,
                settings.session_hours,
                key_roles=settings.require_security_key_roles,
            )
        except SecurityKeyRequired as exc:
            uow.commit()  # the account and the pending sign-in
            return exc.pending, True
        uow.commit()
    return raw, False


async def end_session_url(
    request: Request, container: Container, issuer: str
) -> tuple[str, str] | None:
    """Where to send the browser so that the provider that opened the session ends its own
    too (OpenID Connect RP-Initiated Logout), coming back to the login page, and the
    provider's name; None when no
    configured provider has that issuer, or its discovery document names no
    end_session_endpoint (then only the local session ends)."""
    provider = next(
        (
            found
            for found in providers(container).values()
            if found.issuer.rstrip("/") == issuer.rstrip("/")
        ),
        None,
    )
    if provider is None:
        return None
    try:
        metadata = await _client(provider).load_server_metadata()
    except (AuthlibBaseError, httpx.HTTPError, ValueError):
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        return None
    back = str(request.url_for("login_form"))
    query = urlencode({"client_id": provider.client_id, "post_logout_redirect_uri": back})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}", provider.label


def _reason(exc: Exception) -> oidc.SignInRefused:
    """Why the protocol failed, as a refusal (recorded in English, shown in the reader's)."""
    if isinstance(exc, MismatchingStateError):
        return oidc.SignInRefused(
            N_(
                "this sign-in was not started in this browser, or was already used "
                "(unknown or replayed state): start again"
            )
        )
    if isinstance(exc, InvalidClaimError) and exc.claim == "iss":
        return oidc.SignInRefused(
            N_("the ID token was issued by another issuer than the organisation's provider")
        )
    if isinstance(exc, httpx.HTTPError):
        return oidc.SignInRefused(N_("the identity provider could not be reached"))
    description = getattr(exc, "description", "") or getattr(exc, "error", "") or str(exc)
    return oidc.SignInRefused(
        N_("the identity provider's answer was refused: %(description)s"),
        description=description,
    )


async def _refused(
    request: Request,
    container: Container,
    organisation: str,
    refusal: oidc.SignInRefused,
    status: int,
    claims: dict[str, Any] | None = None,
) -> Response:
    """The login page with the reason in the reader's language; the refusal recorded (in
    English, as the record keeps it) when the organisation has a provider (anyone may ask
    for another name: that says nothing about an account)."""

    def record() -> None:
        with container.uow(gated=True) as uow:
            oidc.record_refusal(uow, organisation, str(refusal), claims)
            uow.commit()

    if organisation in providers(container):
        await run_in_threadpool(record)
    said = refusal.said()
    return await run_in_threadpool(refused_login_page, request, container, said, status)
