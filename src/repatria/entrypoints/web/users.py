"""An administrator's pages for the users of its own state: deactivate, reactivate, a one-time
password, their API tokens. Administrators only (403 for any other role); another state's
user is a 404 page and nothing changes (services.users)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.access import OPERATOR_GRANTED
from repatria.domain.errors import NotFound
from repatria.entrypoints.web.deps import Administrator, RecordId, Uow
from repatria.entrypoints.web.forms import Text
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services import accounts, security_keys, users

router = web_router()


def _page(
    request: Request, uow: Uow, principal: Administrator, user_id: int, one_time: str = ""
) -> Response:
    return render(request, *_user_page(uow, principal, user_id, one_time))


def _user_page(
    uow: Uow, principal: Administrator, user_id: int, one_time: str = ""
) -> tuple[str, dict[str, Any]]:
    user = users.get_or_raise(uow, principal, user_id)
    context = {
        "user": user,
        "state": users.state_of(user),
        "tokens": users.tokens_of(uow, principal, user_id),
        # Whether a decider has registered the key their role requires, and uses it.
        "keys": security_keys.list_keys(uow, user_id),
        # Administrators and auditors are the installation operator's to manage.
        "managed": user.role not in OPERATOR_GRANTED,
        "one_time": one_time,
    }
    return "users/detail.html", context


def _back(user_id: int) -> Response:
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.get("/admin/users/{user_id}")
def user_page(request: Request, user_id: RecordId, uow: Uow, principal: Administrator) -> Response:
    """A user of the administrator's state: status, API tokens and what may be done."""
    return _page(request, uow, principal, user_id)


@router.post("/admin/users/{user_id}/deactivate")
def deactivate(
    request: Request, user_id: RecordId, uow: Uow, principal: Administrator, reason: Text = ""
) -> Response:
    """Stop the user signing in; every session and token of theirs ends at once."""
    try:
        users.deactivate(uow, principal, user_id, reason.strip())
    except KEPT as refused:
        page = lambda: _user_page(uow, principal, user_id)  # noqa: E731
        typed = {"reason": reason}
        return form_back(request, uow, refused, form="deactivate", typed=typed, page=page)
    uow.commit()
    return _back(user_id)


@router.post("/admin/users/{user_id}/reactivate")
def reactivate(
    request: Request, user_id: RecordId, uow: Uow, principal: Administrator, reason: Text = ""
) -> Response:
    """Let a deactivated user sign in again (the tokens ended stay ended)."""
    try:
        users.reactivate(uow, principal, user_id, reason.strip())
    except KEPT as refused:
        page = lambda: _user_page(uow, principal, user_id)  # noqa: E731
        typed = {"reason": reason}
        return form_back(request, uow, refused, form="reactivate", typed=typed, page=page)
    uow.commit()
    return _back(user_id)


@router.post("/admin/users/{user_id}/reset-password")
def reset_password(
    request: Request, user_id: RecordId, uow: Uow, principal: Administrator
) -> Response:
    """A one-time password, shown on this answer only, to hand to the user: it lets them do
    nothing but choose a new password; every session and token of theirs ends."""
    _, one_time = users.reset_password(uow, principal, user_id)
    uow.commit()
    return _page(request, uow, principal, user_id, one_time)


@router.post("/admin/users/{user_id}/tokens/{token_id}/revoke")
def revoke_token(
    user_id: RecordId, token_id: RecordId, uow: Uow, principal: Administrator
) -> Response:
    """Revoke one of the user's API tokens."""
    if token_id not in {token.id for token in users.tokens_of(uow, principal, user_id)}:
        raise NotFound("token", token_id)
    accounts.revoke_credential(uow, principal, token_id)
    uow.commit()
    return _back(user_id)
