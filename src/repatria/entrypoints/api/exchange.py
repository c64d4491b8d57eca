"""The exchange between peer states (docs/federation.md): the inbox a peer posts its signed
envelopes to.

The inbox needs no user's credentials: a message is trusted by its signature alone, by a key
the operator pinned for the sending state. What it refuses it records (403 for a sender,
key or signature it does not trust, 409 for a replay, a gap, or a peer whose record failed the
witness, 422 for an envelope that fails its schema or its clock)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from repatria.bootstrap import Container
from repatria.entrypoints.api.deps import Uow, get_container
from repatria.entrypoints.api.responses import CONFLICT, FORBIDDEN, refusals
from repatria.services.exchange import inbox

router = APIRouter(prefix="/exchange", tags=["exchange"])


class EnvelopeIn(BaseModel):
    """One signed message from a peer."""

    envelope: str = Field(
        min_length=1,
        max_length=inbox.KEPT_CHARS,
        description="the JWS compact serialisation (Ed25519) of the message",
    )


class ReceiptOut(BaseModel):
    """How the message was taken: accepted (and acted on), held until its predecessors
    arrive, or a duplicate of one already received (not acted on again)."""

    result: str
    detail: str
    message_id: str | None
    acted: list[str] = Field(default_factory=list, description="what each message acted on did")


@router.post(
    "/inbox",
    response_model=ReceiptOut,
    summary="Receive a signed message from a peer state",
    responses={
        202: {"model": ReceiptOut, "description": "Held until the messages before it arrive"},
        **refusals(FORBIDDEN, CONFLICT),
    },
)
def receive(
    body: EnvelopeIn, uow: Uow, container: Annotated[Container, Depends(get_container)]
) -> JSONResponse:
    """Check the envelope and act on it in order, once; a refusal is recorded, never acted on."""
    outcome = inbox.receive(uow, container.settings, body.envelope)
    uow.commit()
    if outcome.status >= 400:
        detail = f"refused ({outcome.ground}): {outcome.detail}"
        return JSONResponse(status_code=outcome.status, content={"detail": detail})
    receipt = ReceiptOut(
        result=outcome.result,
        detail=outcome.detail,
        message_id=outcome.message_id,
        acted=outcome.acted,
    )
    return JSONResponse(status_code=outcome.status, content=receipt.model_dump())
