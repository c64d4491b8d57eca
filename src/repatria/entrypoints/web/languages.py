"""The reader's language: chosen for each request, and the switch in every page's header.

The locale is, in order: the signed-in user's saved preference (deps.optional_principal
applies it), the switch's cookie (which works signed out), the browser's Accept-Language,
English (repatria.i18n.choose).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from repatria import i18n
from repatria.domain.errors import InvalidInput
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import security
from repatria.entrypoints.web.deps import Uow, User, signed_in
from repatria.entrypoints.web.routing import web_router
from repatria.i18n import N_
from repatria.services import languages

router = web_router()
Language = Annotated[str, Form(max_length=8)]
Next = Annotated[str, Form(max_length=2000)]
YEAR = 365 * 24 * 3600


class ReaderLanguage:
    """ASGI middleware: each request runs in the locale its cookie or browser asks for, and
    its answer says which language it is in (Content-Language)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie = cookie_parser(headers.get("cookie", "")).get(i18n.COOKIE)
        locale = i18n.choose(None, cookie, headers.get("accept-language"))
        asked = asked_for(scope)
        if asked:  # ?lang=es: a document or chart in a language chosen for it
            locale = asked

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer = MutableHeaders(scope=message)
                answer.setdefault("Content-Language", i18n.current_language())
                vary = answer.get("Vary")
                # The language comes from the browser's header or the switch's cookie.
                chosen_by = "Accept-Language, Cookie"
                answer["Vary"] = f"{vary}, {chosen_by}" if vary else chosen_by
            await send(message)

        with i18n.use_locale(locale):
            await self.app(scope, receive, send_with_language)


def asked_for(scope: Scope) -> str | None:
    """The locale a request's `lang` query parameter names (a PDF or chart printed in a
    chosen language), or None."""
    query = QueryParams(scope.get("query_string", b"").decode("latin-1"))
    return i18n.supported(query.get("lang"))


def _back(target: str, language: str) -> Response:
    response = RedirectResponse(security.safe_next(target, "/"), status_code=303)
    # Not HttpOnly-bound to a session: the choice holds signed out, on this browser.
    security.set_cookie(response, i18n.COOKIE, language, YEAR)
    return response


@router.get("/language/{language}")
def choose_language(
    language: Annotated[str, Path(max_length=8)],
    next: Annotated[str, Query(max_length=2000)] = "/",
) -> Response:
    """The header's switch, signed out: read the site in this language on this browser."""
    chosen = i18n.supported(language)
    if chosen is None:
        raise InvalidInput(
            "language", N_("must be one of %(choices)s"), choices=", ".join(i18n.LANGUAGES)
        )
    return _back(next, chosen.split("_")[0])


@router.post("/language")
def switch_language(request: Request, uow: Uow, language: Language, next: Next = "/") -> Response:
    """The header's switch: read the site in another language from now on. Signed in, it
    is also saved as the user's preference (as the account page does)."""
    chosen = i18n.supported(language)
    if chosen is None:
        chosen = i18n.current_locale()
    code = chosen.split("_")[0]
    if request.cookies.get(SESSION_COOKIE):
        principal = signed_in(request, uow)
        if principal is not None and not principal.read_only:
            languages.set_language(uow, principal, code)
            uow.commit()
    return _back(next, code)


@router.post("/account/language")
def account_language(uow: Uow, principal: User, language: Language = "") -> Response:
    """The account page's choice: a language, or none (the browser decides)."""
    saved = languages.set_language(uow, principal, language)
    uow.commit()
    response = RedirectResponse("/account?done=language#language", status_code=303)
    if saved:
        security.set_cookie(response, i18n.COOKIE, saved.split("_")[0], YEAR)
    else:
        security.clear_cookie(response, i18n.COOKIE)
    return response
