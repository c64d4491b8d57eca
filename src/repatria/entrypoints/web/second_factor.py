"""The second step of signing in: the security key (or a recovery code), after the password
or the identity provider. Until it is presented there is no session cookie, only the pending
sign-in's (PENDING_COOKIE, for these addresses alone, ten minutes); one whose role requires a
key and who has none may register one here, and do nothing else (services/second_factor.py).
"""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from repatria.domain.errors import InvalidInput, NotAuthenticated
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import security
from repatria.entrypoints.web.deps import AppContainer, Uow
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.i18n import gettext
from repatria.services import recovery_codes, second_factor, security_keys
from repatria.services.accounts import principal_of
from repatria.settings import Settings

router = web_router()
PREFIX = "/login/security-key"
PENDING_COOKIE = "repatria_pending"
Credential = Annotated[str, Form(max_length=20_000)]
ChallengeId = Annotated[int, Form(ge=1, le=2**62)]
DEFAULT_NEXT = "/dashboard"
NextPage = Annotated[str, Form(alias="next", max_length=500)]


def start(raw: str, next_page: str = DEFAULT_NEXT) -> Response:
    """Send the browser to present its key, holding the pending sign-in (no session); once
    signed in it goes on to `next_page` (a path of this site)."""
    target = PREFIX if next_page == DEFAULT_NEXT else f"{PREFIX}?{urlencode({'next': next_page})}"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        PENDING_COOKIE,
        raw,
        max_age=second_factor.PENDING_MINUTES * 60,
        httponly=True,
        secure=True,
        samesite="lax",  # after a provider, the browser comes from another site
        path=PREFIX,
    )
    return response


def elsewhere(request: Request, settings: Settings) -> str:
    """The origin security keys are bound to, when this page was opened at another (where
    the browser offers none: an IP address, another host name); else empty."""
    here = f"{request.url.scheme}://{request.url.netloc}"
    return "" if here == settings.webauthn_origin else settings.webauthn_origin


def _pending(request: Request, uow: Uow) -> second_factor.Pending:
    return second_factor.pending(uow, request.cookies.get(PENDING_COOKIE))


def _page(
    request: Request,
    uow: Uow,
    waiting: second_factor.Pending,
    *,
    error: str = "",
    codes: list[str] | None = None,
    status: int = 200,
    next_page: str | None = None,
) -> Response:
    assert waiting.user.id is not None
    enrol = not security_keys.has_keys(uow, waiting.user.id)
    settings = request.app.state.container.settings
    context = {
        "enrol": enrol,
        "error": error,
        "codes": codes or [],
        "elsewhere": elsewhere(request, settings),
        "next": security.safe_next(next_page or request.query_params.get("next")),
    }
    return render(request, "auth/security_key.html", context, status)


def _ended(exc: NotAuthenticated) -> Response:
    # Back to the login page, which says why; the pending cookie goes.
    response = RedirectResponse("/login?done=expired", status_code=303)
    response.delete_cookie(PENDING_COOKIE, httponly=True, secure=True, path=PREFIX)
    return response


@router.get(PREFIX)
def key_page(request: Request, uow: Uow) -> Response:
    """Ask for the security key (or, for one who must have a key and has none, register one)."""
    try:
        waiting = _pending(request, uow)
    except NotAuthenticated as exc:
        return _ended(exc)
    return _page(request, uow, waiting)


@router.post(f"{PREFIX}/options")
def options(request: Request, uow: Uow, container: AppContainer) -> Response:
    """A challenge for the key (JSON, for static/webauthn.js): to sign in, or to register the
    first key."""
    try:
        waiting = _pending(request, uow)
    except NotAuthenticated as exc:
        return JSONResponse({"detail": exc.said()}, status_code=401)
    assert waiting.user.id is not None
    rp = security_keys.relying_party(container.settings)
    if security_keys.has_keys(uow, waiting.user.id):
        challenge_id, made = security_keys.begin_assertion(uow, waiting.user, rp)
    else:
        challenge_id, made = security_keys.begin_registration(uow, waiting.user, rp)
    uow.commit()
    return JSONResponse({"challenge_id": challenge_id, "publicKey": json.loads(made)})


@router.post(PREFIX)
def present_key(
    request: Request,
    uow: Uow,
    container: AppContainer,
    challenge_id: ChallengeId,
    credential: Credential,
    next_page: NextPage = DEFAULT_NEXT,
) -> Response:
    """Check the key's answer; a right one opens the session."""
    try:
        waiting = _pending(request, uow)
    except NotAuthenticated as exc:
        return _ended(exc)
    rp = security_keys.relying_party(container.settings)
    try:
        name = security_keys.finish_assertion(uow, waiting.user, rp, challenge_id, credential)
    except InvalidInput:  # the challenge: unknown, expired or already answered
        stale = gettext("That request for your key is no longer valid: try again.")
        return _wrong(request, uow, waiting, stale, next_page)
    except NotAuthenticated as exc:  # why, in py_webauthn's words (or ours)
        detail = str(exc.__cause__ or exc)
        refused = gettext("Your security key's answer was refused: %(reason)s.", reason=detail)
        return _wrong(request, uow, waiting, refused, next_page)
    return _signed_in(uow, container, waiting, next_page, key=name)


@router.post(f"{PREFIX}/recovery")
def use_recovery_code(
    request: Request,
    container: AppContainer,
    code: Annotated[str, Form(max_length=40)],
    next_page: NextPage = DEFAULT_NEXT,
) -> Response:
    """Sign in with a recovery code in place of the key; each works once. Its own gated
    unit: the code's hash is checked outside the writer's turn (services/recovery_codes.py)."""
    with container.uow(gated=True) as uow:
        try:
            waiting = _pending(request, uow)
        except NotAuthenticated as exc:
            return _ended(exc)
        if not recovery_codes.use(uow, waiting.user, code):
            left = second_factor.failed(uow, waiting, recovery_code=True)
            uow.commit()
            reason = gettext("That recovery code is wrong or was already used.")
            error = _with_attempts(reason, left)
            return _page(request, uow, waiting, error=error, status=401, next_page=next_page)
        return _signed_in(uow, container, waiting, next_page, key=None)


@router.post(f"{PREFIX}/register")
def register_first_key(
    request: Request,
    container: AppContainer,
    challenge_id: ChallengeId,
    credential: Credential,
    name: Annotated[str, Form(max_length=200)],
    next_page: NextPage = DEFAULT_NEXT,
) -> Response:
    """Register the first key of one whose role requires one; the recovery codes are shown
    once, then the key signs in. One who has a key already adds another on the account page,
    signed in: a password alone never adds a key to an account that has one. The codes are
    hashed before the writer's turn (services/recovery_codes.py)."""
    with container.uow(read_only=True) as reader:
        try:
            waiting = _pending(request, reader)
        except NotAuthenticated as exc:
            return _ended(exc)
        assert waiting.user.id is not None
        if security_keys.has_keys(reader, waiting.user.id):
            return _page(request, reader, waiting, error=_key_first(), status=409)
    prepared = recovery_codes.prepare()
    rp = security_keys.relying_party(container.settings)
    with container.uow(gated=True) as uow:
        try:
            waiting = _pending(request, uow)
        except NotAuthenticated as exc:
            return _ended(exc)
        user = waiting.user
        try:
            security_keys.finish_registration(uow, user, rp, challenge_id, credential, name)
        except InvalidInput as exc:
            error = gettext("The key was not registered: %(reason)s.", reason=exc.reason_said())
            return _page(request, uow, waiting, error=error, status=422)
        if len(security_keys.list_keys(uow, user.id or 0)) > 1:  # a parallel request's first
            return _page(request, uow, waiting, error=_key_first(), status=409)
        codes = recovery_codes.generate(uow, principal_of(user), user, prepared)
        uow.commit()
        return _page(request, uow, waiting, codes=codes, next_page=next_page)


def _wrong(
    request: Request, uow: Uow, waiting: second_factor.Pending, reason: str, next_page: str
) -> Response:
    left = second_factor.failed(uow, waiting)
    uow.commit()
    error = _with_attempts(reason, left)
    return _page(request, uow, waiting, error=error, status=401, next_page=next_page)


def _with_attempts(refused: str, left: int) -> str:
    # Two sentences, each whole: why, then what is left.
    # Called outside the f-string: the extractor (make i18n) does not look inside one.
    if left == 0:
        remaining = gettext("No attempts are left: sign in again.")
    else:
        remaining = gettext("Attempts left: %(n)s.", n=left)
    return f"{refused} {remaining}"


def _key_first() -> str:
    return gettext("Sign in with your key first.")


def _signed_in(
    uow: Uow,
    container: AppContainer,
    waiting: second_factor.Pending,
    next_page: str,
    *,
    key: str | None,
) -> Response:
    hours = container.settings.session_hours
    try:
        raw = second_factor.finish(uow, waiting, hours, key=key)
    except NotAuthenticated as exc:
        return _ended(exc)
    uow.commit()
    response = RedirectResponse(security.safe_next(next_page), status_code=303)
    security.set_cookie(response, SESSION_COOKIE, raw, hours * 3600)
    response.delete_cookie(PENDING_COOKIE, httponly=True, secure=True, path=PREFIX)
    return response
