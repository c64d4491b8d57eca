"""Administration: organisations and users (administrators only; the services refuse others)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.accounts import Role
from repatria.entrypoints.web.deps import Administrator, Uow, User
from repatria.entrypoints.web.forms import Short
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
    organisations = accounts.list_organisations(uow)
    context = {
        "organisations": organisations,
        "users": users.list_users(uow, principal),
        "own": [o for o in organisations if o.state == principal.state],
        "roles": [r for r in Role if r not in (Role.ADMIN, Role.AUDITOR)],
    }
    return render(request, "admin/index.html", context)


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
    uow: Uow,
    principal: Administrator,
    username: Short,
    display_name: Short,
    role: Short,
    organisation_code: Short,
    password: Annotated[str, Form(min_length=10, max_length=200)],
) -> Response:
    """Create a user (the password is stored only as an argon2 hash)."""
    command = CreateUser.model_validate(
        {
            "username": username,
            "display_name": display_name,
            "password": password,
            "role": role,
            "organisation_code": organisation_code,
        }
    )
    accounts.create_user(uow, principal, command)
    uow.commit()
    return RedirectResponse("/admin", status_code=303)
