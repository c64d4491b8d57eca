"""The peer states, for administrators and auditors: address, pinned keys, the witness of each
peer's record and the messages waiting to be delivered (docs/federation.md)."""

from __future__ import annotations

from fastapi import Request, Response

from repatria.entrypoints.web.deps import Uow, User
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services.exchange import peers

router = web_router()


@router.get("/peers")
def peers_page(request: Request, uow: Uow, principal: User) -> Response:
    """Every peer and the state of the exchange with it."""
    return render(request, "peers/list.html", {"peers": peers.list_peers(uow, principal)})
