"""Verifying the audit log: every leaf and root recomputed from the rows and checked against
every checkpoint, the database's and the witness file's (reads only: never signs, never
writes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from repatria.domain import merkle
from repatria.domain.audit_checkpoints import Checkpoint, key_id
from repatria.domain.audit_verify import Finding, LogShape
from repatria.services.audit_keys import WitnessUnreadable, read_witness
from repatria.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of `audit verify`: the log's size and root, and the first thing wrong."""

    tree_size: int
    root_hash: bytes | None
    checkpoints_checked: int
    finding: Finding | None
    new_checkpoint: Checkpoint | None = None
    witnessed: int = 0  # checkpoints read from the witness file

    @property
    def intact(self) -> bool:
        """True when every event, the head and every checkpoint agree."""
        return self.finding is None


def verify(
    uow: UnitOfWork,
    database_url: str,
    public_key: Ed25519PublicKey | None,
    *,
    witness: Path | None,
    retired_keys: Sequence[Ed25519PublicKey] = (),
    start_witness: bool = False,
    workers: int | None = None,
) -> VerifyReport:
    """Recompute every leaf and root from the rows and check them against every checkpoint,
    the database's and the witness file's. Reads only: never signs, never writes.

    `witness` is the witness file (None: no witness is checked, for a caller with none);
    `start_witness` accepts its absence while the database holds checkpoints (an installation
    that kept no witness before)."""
    head = uow.audit.head()
    if head is None:
        return VerifyReport(0, None, 0, Finding(0, None, "the log head row is missing"))
    size = head.size
    try:
        witnessed = read_witness(witness) if witness is not None else []
    except WitnessUnreadable as exc:
        return VerifyReport(size, None, 0, Finding(0, None, str(exc)))
    checkpoints = uow.audit.checkpoints()
    sizes = {c.tree_size for c in checkpoints} | {c.tree_size for c in witnessed or []}
    wanted = [size, *(n for n in sorted(sizes) if 0 < n <= size)]
    shape = uow.audit.hash_rows(database_url, size, wanted, workers)
    found = (shape.first_finding(), _outside_rows(uow), _derivation_finding(uow))
    findings = [finding for finding in found if finding]
    root = shape.root(size) if size else merkle.EMPTY_ROOT
    keys = {key_id(key): key for key in (public_key, *retired_keys) if key is not None}
    findings += _checkpoint_findings(checkpoints, shape, size, keys)
    if witness is not None:
        findings += _witness_findings(
            witness, witnessed, checkpoints, shape, size, keys, start_witness=start_witness
        )
    if root is not None and root != head.root_hash and not findings:
        since = max((c.tree_size for c in checkpoints), default=0)
        findings.append(Finding(since, None, _HEAD_CHANGED))
    finding = min(findings, default=None)
    return VerifyReport(size, root, len(checkpoints), finding, witnessed=len(witnessed or []))


_HEAD_CHANGED = (
    "the log head's root does not match the events after the last checkpoint: one of them was "
    "changed together with its leaf hash, or the head was altered"
)


def _witness_findings(
    path: Path,
    witnessed: list[Checkpoint] | None,
    checkpoints: list[Checkpoint],
    shape: LogShape,
    size: int,
    keys: dict[str, Ed25519PublicKey],
    *,
    start_witness: bool,
) -> list[Finding]:
    """The log against the checkpoints kept outside the database, and the database's own
    checkpoints against them: every witnessed checkpoint must be in the database, unchanged.

    The log's root at each witnessed size comes from the same pass that rehashes every leaf:
    it equals the witnessed root exactly when the RFC 6962 consistency proof from that
    checkpoint to the log's head verifies, without reading the leaves a second time to build
    the proof (the API serves the proof itself to outside parties)."""
    if witnessed is None:
        if checkpoints and not start_witness:
            return [
                Finding(
                    0,
                    None,
                    f"the witness file {path} does not exist, but the database holds "
                    f"{len(checkpoints)} checkpoints: it was deleted or moved, or this "
                    "installation kept none before (then `repatria audit checkpoint "
                    "--start-witness` starts it)",
                )
            ]
        return []
    findings = _checkpoint_findings(witnessed, shape, size, keys, kind="witnessed checkpoint")
    by_size = {c.tree_size: c for c in checkpoints}
    for checkpoint in witnessed:
        stored = by_size.get(checkpoint.tree_size)
        name = f"the witnessed checkpoint of size {checkpoint.tree_size}"
        if stored is None:
            problem = f"{name} is not in the database: its checkpoints were deleted"
        elif not same_checkpoint(stored, checkpoint):
            problem = f"{name} differs from the database's checkpoint of that size"
        else:
            continue
        findings.append(Finding(min(checkpoint.tree_size, size), None, problem))
    return findings


def same_checkpoint(one: Checkpoint, other: Checkpoint) -> bool:
    """The same signed statement: message, signature and key."""
    return (one.message(), one.signature, one.key_id) == (
        other.message(),
        other.signature,
        other.key_id,
    )


def _checkpoint_findings(
    checkpoints: list[Checkpoint],
    shape: LogShape,
    size: int,
    keys: dict[str, Ed25519PublicKey],
    *,
    kind: str = "checkpoint",
) -> list[Finding]:
    """Each checkpoint must be validly signed, no larger than the log, and match its prefix."""
    findings: list[Finding] = []
    previous: Checkpoint | None = None
    for checkpoint in checkpoints:
        start = previous.tree_size if previous else 0
        name = f"the {kind} of size {checkpoint.tree_size}"
        key = keys.get(checkpoint.key_id)
        if key is None or not checkpoint.signed_by(key):
            findings.append(
                Finding(checkpoint.tree_size, None, f"{name} is not validly signed by this key")
            )
        elif checkpoint.tree_size > size:
            findings.append(
                Finding(
                    size,
                    None,
                    f"{name} is larger than the log of {size} events: events from seq {size} "
                    "were deleted",
                )
            )
        elif previous and checkpoint.tree_size < previous.tree_size:
            findings.append(Finding(start, None, f"{name} comes after a larger one"))
        elif previous and checkpoint.signed_at < previous.signed_at:
            findings.append(Finding(start, None, f"{name} was signed before a smaller one"))
        elif shape.root(checkpoint.tree_size) not in (None, checkpoint.root_hash):
            findings.append(
                Finding(
                    start,
                    None,
                    f"{name} does not match the events: one between seq {start} and "
                    f"{checkpoint.tree_size - 1} was changed together with its leaf hash",
                )
            )
        previous = checkpoint
    return findings


def _outside_rows(uow: UnitOfWork) -> Finding | None:
    """A row without a place in the log, or beyond its head: inserted behind the log's back."""
    row = uow.audit.first_stray_row()
    if row is None:
        return None
    if row.seq is None or row.seq < 0:
        return Finding(float("inf"), row.id, f"it has no valid sequence number ({row.seq})")
    return Finding(row.seq, row.id, "it lies beyond the log head: inserted outside the application")


def _derivation_finding(uow: UnitOfWork) -> Finding | None:
    """Every field of an event must still be derived from its leaf, by Repatria's expression.

    The leaf hashes prove only `body`; a column rebuilt as a plain one, or derived otherwise,
    could show what was never recorded, so it is named as tampering with the whole log."""
    problem = uow.audit.derivation_problem()
    return None if problem is None else Finding(0, None, problem)
