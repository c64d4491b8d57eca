"""Signing out: the session ends here, and, for a session opened through an organisation's
identity provider whose discovery document names an end_session_endpoint, the browser goes
there so that the provider's session ends too (RP-Initiated Logout); else only the local one."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from repatria.bootstrap import Container
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import oidc, security
from repatria.entrypoints.web.deps import AppContainer
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services import accounts

router = web_router()


@router.post("/logout")
async def logout(request: Request, container: AppContainer) -> Response:
    """End the session on the server and clear the cookie; then, where the session came
    through a provider that says how, end the provider's session too."""
    raw = request.cookies.get(SESSION_COOKIE)
    issuer = await run_in_threadpool(_end, container, raw) if raw else None
    ending = await oidc.end_session_url(request, container, issuer) if issuer else None
    response: Response
    if ending is None:
        response = RedirectResponse("/login", status_code=303)
    else:
        # A page that goes on to the provider: a redirect from this form's answer to another
        # site is refused by the pages' CSP (form-action 'self').
        url, provider = ending
        context = {"end_session_url": url, "provider": provider}
        response = render(request, "auth/signed_out.html", context)
    security.clear_cookie(response, SESSION_COOKIE)
    return response


def _end(container: Container, raw: str) -> str | None:
    # The provider the session came through, if any; the session ends either way.
    with container.uow(gated=True) as uow:
        issuer = accounts.session_issuer(uow, raw)
        accounts.revoke_raw_token(uow, raw)
        uow.commit()
    return issuer
