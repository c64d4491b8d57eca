"""The Idempotency-Key header on command endpoints: a retried request acts once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from repatria.bootstrap import Container
from repatria.domain.accounts import Principal
from repatria.entrypoints.api.deps import AppContainer, CurrentPrincipal
from repatria.services import idempotency
from repatria.services.idempotency import StoredAnswer
from repatria.services.unit_of_work import UnitOfWork


class AnswerReplayed(Exception):
    """Raised to send back the stored first answer of a retried request."""

    def __init__(self, answer: StoredAnswer) -> None:
        super().__init__("replayed")
        self.answer = answer


async def _fingerprint(request: Request) -> str:
    # The query is part of the request (POST /assessments?as_known_on=...): a key sent again
    # with another query is another request, refused rather than answered with the first.
    query = request.url.query
    target = f"{request.url.path}?{query}" if query else request.url.path
    return idempotency.fingerprint(request.method, target, await request.body())


@dataclass
class Idempotency:
    """The request's key (if any) and fingerprint; `commit` stores the answer with the change."""

    principal: Principal
    key: str | None
    fingerprint: str

    def commit(self, uow: UnitOfWork, body: Any, status_code: int = 200) -> JSONResponse:
        """Store the answer under the key (if one was sent) and commit, in one transaction.

        The answer goes out as the response itself, rendered as a replay of it is: FastAPI
        then has nothing left to validate, which for a plain `def` endpoint would cost
        another hop to the thread pool."""
        if self.key:
            idempotency.remember(uow, self.principal, self.key, self.fingerprint, status_code, body)
        uow.commit()
        return JSONResponse(body, status_code=status_code)


async def get_idempotency(
    principal: CurrentPrincipal,
    container: AppContainer,
    fingerprint: Annotated[str, Depends(_fingerprint)],
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            pattern=r"^[\x21-\x7e]+$",
            description=(
                "Send the same key when retrying: the command acts once. A key already used"
                " for a different request is refused (422), as the IETF draft says."
            ),
        ),
    ] = None,
) -> Idempotency:
    """Look the key up; a key seen before ends the request with the first answer.

    Without a key nothing is looked up, so the request stays on the event loop; with one,
    the lookup runs in the thread pool, in a reading unit of work of its own: the command's
    turn to write is taken with its work, in its own hop (api.app.limit_threads). A second
    request under the key while the first is still at work finds nothing stored yet; its
    answer, stored under the same key at its commit, is refused by the key's uniqueness,
    and it ends with 409 having changed nothing (as the IETF draft says)."""
    if key:
        stored = await run_in_threadpool(_lookup, container, principal, key, fingerprint)
        if stored is not None:
            raise AnswerReplayed(stored)
    return Idempotency(principal, key, fingerprint)


def _lookup(
    container: Container, principal: Principal, key: str, fingerprint: str
) -> StoredAnswer | None:
    with container.uow(read_only=True) as reader:
        return idempotency.lookup(reader, principal, key, fingerprint)


Idempotent = Annotated[Idempotency, Depends(get_idempotency)]
