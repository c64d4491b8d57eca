"""The tamper-evident record: signing checkpoints and serving proofs (verifying the log:
audit_verify.py; keys and the witness file: audit_keys.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from repatria.domain import merkle
from repatria.domain.access import sees_states
from repatria.domain.accounts import Principal
from repatria.domain.audit import event_leaf_hash, require_audit_reader
from repatria.domain.audit_checkpoints import Checkpoint, sign_checkpoint
from repatria.domain.errors import Conflict, InvalidInput, NotFound
from repatria.domain.events import Event
from repatria.i18n import N_
from repatria.services.audit_keys import SigningKey, append_witness, checkpoint_out, read_witness
from repatria.services.audit_verify import VerifyReport, same_checkpoint, verify
from repatria.services.exchange import witness as exchange_witness
from repatria.services.unit_of_work import UnitOfWork


def sign(
    uow: UnitOfWork,
    database_url: str,
    key: SigningKey,
    witness: Path,
    *,
    retired_keys: Sequence[Ed25519PublicKey] = (),
    start_witness: bool = False,
    workers: int | None = None,
    note_origin: str = "LOCAL",
) -> VerifyReport:
    """Verify the log, then sign a checkpoint of it, store it and append it to the witness
    file (the latest checkpoint, when the log has not grown, goes to a witness that lacks it).

    The report's finding, when there is one, is why nothing was signed. `note_origin`: the
    state whose log this is, in the checkpoint's C2SP form."""
    report = verify(
        uow,
        database_url,
        key.public_key,
        witness=witness,
        retired_keys=retired_keys,
        start_witness=start_witness,
        workers=workers,
    )
    if report.finding is not None or report.root_hash is None or report.tree_size == 0:
        return report
    latest = uow.audit.latest_checkpoint()
    witnessed = read_witness(witness) or []
    if latest is not None and latest.tree_size == report.tree_size:
        if not witnessed or not same_checkpoint(witnessed[-1], latest):
            append_witness(witness, latest, key.public_key)
        return report
    checkpoint = sign_checkpoint(key.private_key, report.tree_size, report.root_hash, _now())
    uow.audit.keep_checkpoint(checkpoint)
    # The same checkpoint as a C2SP signed note: what peers receive (docs/federation.md).
    size, root = checkpoint.tree_size, checkpoint.root_hash
    exchange_witness.sign_note(uow, key.private_key, note_origin, size, root)
    # Requests made from the record page whose event this tree holds are answered by it.
    uow.audit.answer_checkpoint_requests(size, checkpoint.signed_at)
    # Witnessed before the commit: a checkpoint the database holds is always witnessed (a
    # crash between the two leaves one witnessed that the database lacks, which verify names).
    append_witness(witness, checkpoint, key.public_key)
    uow.commit()
    return replace(report, new_checkpoint=checkpoint)


def _now() -> datetime:
    return datetime.now(UTC)


def list_checkpoints(uow: UnitOfWork, principal: Principal) -> list[Checkpoint]:
    """Every signed checkpoint, smallest first."""
    require_audit_reader(principal)
    return uow.audit.checkpoints()


def _leaf_hashes(uow: UnitOfWork, size: int) -> list[bytes]:
    leaves = uow.audit.leaf_hashes(size)
    if len(leaves) != size:
        raise Conflict(
            N_("the stored log does not match its checkpoints: run `repatria audit verify`")
        )
    return leaves


def _checkpoint_at(uow: UnitOfWork, size: int | None) -> Checkpoint:
    found = uow.audit.latest_checkpoint() if size is None else uow.audit.checkpoint_at(size)
    if found is None:
        raise NotFound("checkpoint", "latest" if size is None else size)
    return found


def event_of(uow: UnitOfWork, principal: Principal, event_id: int) -> Event:
    """One event of the record, for those who read the record and whose state it involves."""
    require_audit_reader(principal)
    event = uow.audit.event(event_id)
    if event is None or not sees_states(principal, event.states):
        raise NotFound("event", event_id)
    return event


def event_proof(
    uow: UnitOfWork, principal: Principal, event_id: int, public_key: Ed25519PublicKey
) -> dict[str, object]:
    """The inclusion proof of one event against the latest checkpoint, ready to publish."""
    event = event_of(uow, principal, event_id)
    seq: int = event.seq  # type: ignore[attr-defined]  # mapped column, not in the dataclass
    checkpoint = _checkpoint_at(uow, None)
    if checkpoint.tree_size <= seq:
        raise Conflict(
            N_(
                "event %(event)s is newer than the latest checkpoint (%(size)s events): sign one"
                " with `repatria audit checkpoint`"
            ),
            event=event_id,
            size=checkpoint.tree_size,
        )
    leaves = _leaf_hashes(uow, checkpoint.tree_size)
    if event_leaf_hash(event, seq) != leaves[seq]:
        raise Conflict(
            N_("event %(event)s does not match its leaf hash: run `repatria audit verify`"),
            event=event_id,
        )
    levels = merkle.tree_levels(leaves)
    if levels[-1][0] != checkpoint.root_hash:
        raise Conflict(
            N_("the stored log does not match its checkpoint: run `repatria audit verify`")
        )
    return {
        "event_id": event_id,
        "leaf_index": seq,
        "tree_size": checkpoint.tree_size,
        "leaf_hash": leaves[seq].hex(),
        "audit_path": [sibling.hex() for sibling in merkle.path_from_levels(levels, seq)],
        "root_hash": checkpoint.root_hash.hex(),
        "checkpoint": checkpoint_out(checkpoint, public_key),
    }


def consistency(
    uow: UnitOfWork,
    principal: Principal,
    tree_size: int,
    from_size: int,
    public_key: Ed25519PublicKey,
) -> dict[str, object]:
    """The proof that the log's first from_size events are a prefix of checkpoint tree_size."""
    require_audit_reader(principal)
    checkpoint = _checkpoint_at(uow, tree_size)
    if not 0 <= from_size <= tree_size:
        raise InvalidInput("from", N_("must be between 0 and %(size)s"), size=tree_size)
    leaves = _leaf_hashes(uow, tree_size)
    if merkle.tree_hash(leaves) != checkpoint.root_hash:
        raise Conflict(
            N_("the stored log does not match its checkpoint: run `repatria audit verify`")
        )
    earlier = uow.audit.checkpoint_at(from_size)
    return {
        "from_size": from_size,
        "from_root": merkle.tree_hash(leaves[:from_size]).hex(),
        "from_checkpoint": checkpoint_out(earlier, public_key) if earlier else None,
        "tree_size": tree_size,
        "root_hash": checkpoint.root_hash.hex(),
        "checkpoint": checkpoint_out(checkpoint, public_key),
        "proof": [node.hex() for node in merkle.consistency_proof(leaves, from_size)],
    }


def log_size(uow: UnitOfWork) -> int:
    """How many events the log holds, by its head."""
    return uow.audit.size()
