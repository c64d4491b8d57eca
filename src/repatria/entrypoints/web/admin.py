"""Administration: organisations and users (administrators only; the services refuse others)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.accounts import Role
from repatria.entrypoints.web.deps import Administrator, Uow, User
from repatria.entrypoints.web.forms import Short
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services import accounts, users
from repatria.services.commands import CreateOrganisation, CreateUser

router = web_router()


@router.get("/admin")
def admin_page(request: Request, uow: Uow, principal: Administrator) -> Response:
    """Every organisation, the users of the administrator's state (each with its own page,
    web/users.py), and a form to add one (organisations, administrators and auditors are the
    installation operator's to create)."""
    return render(request, *_admin_page(uow, principal))


def _admin_page(uow: Uow, principal: User) -> tuple[str, dict[str, Any]]:
    organisations = accounts.list_organisations(uow)
    context = {
        "organisations": organisations,
        "users": users.list_users(uow, principal),
        "own": [o for o in organisations if o.state == principal.state],
        "roles": [r for r in Role if r not in (Role.ADMIN, Role.AUDITOR)],
    }
    return "admin/index.html", context


@router.post("/admin/organisations")
def create_organisation(
    uow: Uow, principal: User, code: Short, name: Short, state: Short
) -> Response:
    """Create an organisation of one state."""
    command = CreateOrganisation.model_validate({"code": code, "name": name, "state": state})
    accounts.create_organisation(uow, principal, command)
    uow.commit()
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users")
def create_user(
    request: Request,
    uow: Uow,
    principal: Administrator,
    username: Short,
    display_name: Short,
    role: Short,
    organisation_code: Short,
    password: Short,
) -> Response:
    """Create a user (the password is stored only as an argon2 hash). Refused, the form comes
    back as typed, each reason beside its field; the password is never sent back."""
    typed = {
        "username": username,
        "display_name": display_name,
        "role": role,
        "organisation_code": organisation_code,
        "password": "",
    }
    try:
        command = CreateUser.model_validate({**typed, "password": password})
        accounts.create_user(uow, principal, command)
    except KEPT as refused:
        page = lambda: _admin_page(uow, principal)  # noqa: E731
        return form_back(request, uow, refused, form="user", typed=typed, page=page)
    uow.commit()
    return RedirectResponse("/admin", status_code=303)
