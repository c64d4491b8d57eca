"""A limit on the size of a request's body, for the API and the pages alike.

Checked before anything reads the body: a declared Content-Length over the limit is refused at
once, and a body sent without one (chunked) is counted as it arrives and refused on the byte
that passes the limit. Either way the answer is a 413 from the application's own HTTPException
handler (JSON under /api, an error page elsewhere), and nothing was parsed or changed.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """Pure ASGI middleware: refuse a request body larger than `max_bytes` with a 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> HTTPException:
        return HTTPException(413, f"the request body is larger than {self.max_bytes} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            request = Request(scope, receive)
            # The handler the application installed for HTTPException: its usual answer.
            handler = request.app.exception_handlers[HTTPException]
            response = await handler(request, self._too_large())
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise self._too_large()  # handled as any HTTPException raised by a route
            return message

        await self.app(scope, counted, send)
