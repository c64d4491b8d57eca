"""One's security keys on the account page: registering one (its challenge first, as JSON for
static/webauthn.js), removing one, and new recovery codes. The first key brings the recovery
codes, shown once on the page that says the key was registered."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Form, Request, Response
from fastapi.responses import JSONResponse

from repatria.domain.errors import InvalidInput
from repatria.entrypoints.web.account import account_page
from repatria.entrypoints.web.deps import AppContainer, RecordId, Uow, User
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.second_factor import ChallengeId, Credential
from repatria.services import recovery_codes, security_keys, users

router = web_router()


@router.post("/account/security-keys/options")
def registration_options(uow: Uow, principal: User, container: AppContainer) -> Response:
    """A challenge for registering a new key (JSON, for static/webauthn.js)."""
    user = users.own_account(uow, principal)
    rp = security_keys.relying_party(container.settings)
    challenge_id, made = security_keys.begin_registration(uow, user, rp)
    uow.commit()
    return JSONResponse({"challenge_id": challenge_id, "publicKey": json.loads(made)})


@router.post("/account/security-keys")
def register(
    request: Request,
    uow: Uow,
    principal: User,
    container: AppContainer,
    challenge_id: ChallengeId,
    credential: Credential,
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    """Keep the new key under its name; the first one brings recovery codes, shown once."""
    user = users.own_account(uow, principal)
    assert user.id is not None
    first = not security_keys.has_keys(uow, user.id)
    rp = security_keys.relying_party(container.settings)
    try:
        security_keys.finish_registration(uow, user, rp, challenge_id, credential, name)
    except InvalidInput as exc:
        error = f"The key was not registered: {exc.reason}."
        return account_page(request, uow, principal, key_error=error, status=422)
    codes = recovery_codes.generate(uow, principal, user) if first else None
    uow.commit()
    return account_page(request, uow, principal, new_codes=codes)


@router.post("/account/security-keys/{key_id}/remove")
def remove(request: Request, key_id: RecordId, uow: Uow, principal: User) -> Response:
    """Remove one of one's keys (where the role requires a key, the next sign-in asks for
    another to be registered)."""
    security_keys.remove(uow, principal, key_id)
    uow.commit()
    return account_page(request, uow, principal)


@router.post("/account/recovery-codes")
def new_recovery_codes(request: Request, uow: Uow, principal: User) -> Response:
    """New recovery codes, shown once; the old ones stop working."""
    user = users.own_account(uow, principal)
    assert user.id is not None
    if not security_keys.has_keys(uow, user.id):
        error = "Recovery codes stand in for a security key: register a key first."
        return account_page(request, uow, principal, key_error=error, status=409)
    codes = recovery_codes.generate(uow, principal, user)
    uow.commit()
    return account_page(request, uow, principal, new_codes=codes)
