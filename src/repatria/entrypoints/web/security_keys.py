"""One's security keys on the account page: registering one (its challenge first, as JSON for
static/webauthn.js), removing one, and new recovery codes. The first key brings the recovery
codes, shown once on the page that says the key was registered. The two steps that make
codes hash them first (seconds, at the production cost) and only then take a writer's turn:
they read who is signed in in a reading unit, as the password form does."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Form, Request, Response
from fastapi.responses import JSONResponse

from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
from repatria.entrypoints.web.account import account_page
from repatria.entrypoints.web.deps import AppContainer, RecordId, Uow, User, signed_in
from repatria.entrypoints.web.errors import LoginRequired
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.second_factor import ChallengeId, Credential
from repatria.i18n import gettext
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


def _signed_in(request: Request, container: Container) -> tuple[Principal, bool]:
    # Who is signed in, and whether they have a key, read without a writer's turn.
    with container.uow(read_only=True) as reader:
        principal = signed_in(request, reader)
        if principal is None or principal.user_id is None:
            raise LoginRequired
        return principal, security_keys.has_keys(reader, principal.user_id)


@router.post("/account/security-keys")
def register(
    request: Request,
    container: AppContainer,
    challenge_id: ChallengeId,
    credential: Credential,
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    """Keep the new key under its name; the first one brings recovery codes, shown once."""
    principal, had_keys = _signed_in(request, container)
    prepared = None if had_keys else recovery_codes.prepare()
    rp = security_keys.relying_party(container.settings)
    with container.uow(gated=True) as uow:
        user = users.own_account(uow, principal)
        try:
            security_keys.finish_registration(uow, user, rp, challenge_id, credential, name)
        except InvalidInput as exc:
            error = gettext("The key was not registered: %(reason)s.", reason=exc.reason_said())
            return account_page(request, uow, principal, key_error=error, status=422)
        first = len(security_keys.list_keys(uow, principal.user_id or 0)) == 1
        codes = recovery_codes.generate(uow, principal, user, prepared) if first else None
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
def new_recovery_codes(request: Request, container: AppContainer) -> Response:
    """New recovery codes, shown once; the old ones stop working."""
    principal, has_keys = _signed_in(request, container)
    if not has_keys:
        error = gettext("Recovery codes stand in for a security key: register a key first.")
        with container.uow(read_only=True) as reader:
            return account_page(request, reader, principal, key_error=error, status=409)
    prepared = recovery_codes.prepare()
    with container.uow(gated=True) as uow:
        codes = recovery_codes.generate(uow, principal, users.own_account(uow, principal), prepared)
        uow.commit()
        return account_page(request, uow, principal, new_codes=codes)
