"""What pages depend on: a unit of work, the signed-in user, and paging parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from repatria import i18n
from repatria.domain.access import Action, require
from repatria.domain.accounts import Principal
from repatria.domain.errors import NotAuthenticated

# A page's unit of work is an API request's (api.deps.get_uow): a reading one for GET and
# HEAD; a form's takes its turn to write with its work, never from one hop to the next.
from repatria.entrypoints.api.deps import MAX_ID, SESSION_COOKIE
from repatria.entrypoints.api.deps import AppContainer as AppContainer
from repatria.entrypoints.api.deps import Uow as Uow
from repatria.entrypoints.web.errors import LoginRequired
from repatria.services import accounts
from repatria.services.unit_of_work import UnitOfWork

PAGE_SIZE = 25


def signed_in(request: Request, uow: UnitOfWork) -> Principal | None:
    """The signed-in user, read in `uow`, or None; their language chosen for the page."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        principal = accounts.authenticate(uow, raw)
    except NotAuthenticated:
        return None
    request.state.principal = principal
    # The user's saved language wins over the cookie and the browser; a bare "es" takes the
    # user's state's variant (es_SV in El Salvador) for dates and money.
    # A `lang` the address asks for (a document printed in Spanish) wins over the preference.
    cookie, accept = request.cookies.get(i18n.COOKIE), request.headers.get("accept-language")
    if not i18n.supported(request.query_params.get("lang")):
        i18n.set_locale(i18n.choose(principal.language, cookie, accept, principal.state))
    return principal


def optional_principal(request: Request, uow: Uow, container: AppContainer) -> Principal | None:
    """The signed-in user, or None (public pages show a lighter navigation). A form's user is
    read in a reading unit of work of its own, so that the form's turn to write is taken
    with its work, in the page's own hop to the thread pool."""
    if request.method in ("GET", "HEAD"):
        return signed_in(request, uow)
    with container.uow(read_only=True) as reader:
        return signed_in(request, reader)


def require_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    """The signed-in user; without one the browser goes to the login page."""
    if principal is None:
        raise LoginRequired
    return principal


User = Annotated[Principal, Depends(require_principal)]


def require_administrator(principal: User) -> Principal:
    """The signed-in administrator; any other role is refused (a 403 page). Which state's
    users they manage is for the services to decide (another state's: 404)."""
    require(principal, Action.MANAGE_ACCOUNTS)
    return principal


Administrator = Annotated[Principal, Depends(require_administrator)]
MaybeUser = Annotated[Principal | None, Depends(optional_principal)]
Page = Annotated[int, Query(ge=1, le=100_000, description="page number")]
# An id in a page's address: one outside the database's range names nothing, so it is a 404
# page (errors.problem_of), never a query that overflows.
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
