"""Audit log: signed checkpoints, consistency proofs between them, inclusion proofs of events.

Auditors and administrators only (403 for other roles); an administrator, like every
non-auditor, gets 404 for an event that does not touch their state.
"""

from __future__ import annotations

from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from repatria.bootstrap import Container
from repatria.domain.audit_checkpoints import key_id, raw_public_key
from repatria.entrypoints.api.deps import MAX_ID, CurrentPrincipal, RecordId, Uow, get_container
from repatria.entrypoints.api.responses import CONFLICT, FORBIDDEN, refusals
from repatria.services import audit, audit_keys

# 409: the checkpoint key or the witness file is missing or unreadable on the server.
router = APIRouter(prefix="/audit", tags=["audit"], responses=refusals(FORBIDDEN, CONFLICT))


class CheckpointOut(BaseModel):
    """A signed tree head; the message it signs is in docs/audit.md."""

    tree_size: int
    root_hash: str
    signed_at: str
    signature: str
    key_id: str
    public_key: str


class CheckpointsOut(BaseModel):
    """The latest checkpoint, every checkpoint, and the key they are signed with."""

    latest: CheckpointOut | None
    items: list[CheckpointOut]
    public_key: str
    key_id: str
    log_size: int


class ProofOut(BaseModel):
    """An event's inclusion proof against the latest checkpoint (hex hashes)."""

    event_id: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    audit_path: list[str]
    root_hash: str
    checkpoint: CheckpointOut


class ConsistencyOut(BaseModel):
    """Proof that the first from_size events are a prefix of the checkpoint's tree."""

    from_size: int
    from_root: str
    from_checkpoint: CheckpointOut | None
    tree_size: int
    root_hash: str
    checkpoint: CheckpointOut
    proof: list[str]


def get_public_key(container: Annotated[Container, Depends(get_container)]) -> Ed25519PublicKey:
    """The checkpoint public key, from the public key file: this process never reads the
    private key (only `repatria audit checkpoint` does)."""
    return audit_keys.load_public_key(container.settings)


PublicKey = Annotated[Ed25519PublicKey, Depends(get_public_key)]
TreeSize = Annotated[int, Path(ge=0, le=MAX_ID, description="a checkpoint's tree size")]


@router.get("/checkpoints", response_model=CheckpointsOut, summary="Signed checkpoints")
def list_checkpoints(principal: CurrentPrincipal, uow: Uow, public_key: PublicKey) -> object:
    """Every signed checkpoint, smallest first, the latest, and the public key to check them."""
    items = [
        audit_keys.checkpoint_out(c, public_key) for c in audit.list_checkpoints(uow, principal)
    ]
    return {
        "latest": items[-1] if items else None,
        "items": items,
        "public_key": raw_public_key(public_key).hex(),
        "key_id": key_id(public_key),
        "log_size": audit.log_size(uow),
    }


@router.get(
    "/checkpoints/{size}/consistency",
    response_model=ConsistencyOut,
    summary="Consistency proof",
)
def read_consistency(
    size: TreeSize,
    principal: CurrentPrincipal,
    uow: Uow,
    public_key: PublicKey,
    from_size: Annotated[int, Query(alias="from", ge=0, le=MAX_ID)],
) -> object:
    """Proof (RFC 6962 §2.1.2) that the log at size `from` is a prefix of this checkpoint."""
    return audit.consistency(uow, principal, size, from_size, public_key)


@router.get("/events/{event_id}/proof", response_model=ProofOut, summary="Inclusion proof")
def read_proof(
    event_id: RecordId, principal: CurrentPrincipal, uow: Uow, public_key: PublicKey
) -> object:
    """Proof (RFC 6962 §2.1.1) that the event is in the latest checkpoint's tree."""
    return audit.event_proof(uow, principal, event_id, public_key)
