"""The header's search box: a case reference, a name or an identifier."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse

from repatria.entrypoints.web.deps import Uow, User
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services import search as finder
from repatria.services import views

router = web_router()


@router.get("/search")
def search(
    request: Request,
    uow: Uow,
    principal: User,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """What the user's state may see that matches: straight to it when there is one."""
    found = finder.search(uow, principal, q)
    if found.only is not None:
        return RedirectResponse(found.only, status_code=303)
    context = {
        "q": q,
        "found": found,
        "people": views.people_named(uow, {c.person_id for c in found.cases}),
    }
    return render(request, "search.html", context)
