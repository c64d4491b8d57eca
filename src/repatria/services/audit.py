"""The tamper-evident record: verifying the Merkle log, signing checkpoints, serving proofs."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from sqlalchemy import func, select, union_all
from sqlalchemy.engine import make_url

from repatria.adapters.db import tables as t
from repatria.adapters.db.leaf_columns import derivation_problem
from repatria.domain import merkle
from repatria.domain.access import sees_states
from repatria.domain.accounts import Principal
from repatria.domain.audit import event_leaf_hash, require_audit_reader
from repatria.domain.audit_checkpoints import Checkpoint, key_id, raw_public_key, sign_checkpoint
from repatria.domain.audit_verify import (
    ChunkResult,
    Finding,
    LogShape,
    chunk_size_for,
    hash_chunk,
    sizes_in_chunk,
)
from repatria.domain.errors import Conflict, InvalidInput, NotFound
from repatria.domain.events import Event
from repatria.services.unit_of_work import UnitOfWork
from repatria.settings import Settings

DEFAULT_KEY_NAME = "audit-ed25519.pem"
# Below this many events the log is hashed in this process; above, by one process per core.
PARALLEL_FROM = 200_000


class AuditKeyMissing(Conflict):
    """No signing key: outside development its file must be configured and present."""


@dataclass(frozen=True)
class SigningKey:
    """The checkpoint key, where it was read from, and whether it was just generated."""

    private_key: Ed25519PrivateKey
    path: Path
    generated: bool

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key outside parties check checkpoints with."""
        return self.private_key.public_key()


def default_key_path(settings: Settings) -> Path:
    """Where development and test keep their generated key: beside the SQLite file, or data/."""
    database = settings.sqlite_path()
    return (database.parent if database else Path("data")) / DEFAULT_KEY_NAME


def load_signing_key(settings: Settings) -> SigningKey:
    """The configured Ed25519 key; in development and test one is generated when none is set."""
    if settings.audit_key_file is not None:
        path = settings.audit_key_file
        if not path.is_file():
            raise AuditKeyMissing(f"the audit key file {path} does not exist")
    elif settings.env == "production":
        raise AuditKeyMissing("REPATRIA_AUDIT_KEY_FILE must name the checkpoint signing key")
    else:
        path = default_key_path(settings)
        if not path.is_file():
            return SigningKey(_generate_key(path), path, generated=True)
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyMissing(f"{path} does not hold an Ed25519 private key")
    return SigningKey(key, path, generated=False)


def _generate_key(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        os.link(partial, path)  # never replaces a key another process wrote first
    except FileExistsError:
        pass
    finally:
        partial.unlink()
    loaded = load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    return loaded


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of `audit verify`: the log's size and root, and the first thing wrong."""

    tree_size: int
    root_hash: bytes | None
    checkpoints_checked: int
    finding: Finding | None
    new_checkpoint: Checkpoint | None = None

    @property
    def intact(self) -> bool:
        """True when every event, the head and every checkpoint agree."""
        return self.finding is None


def verify(
    uow: UnitOfWork,
    database_url: str,
    public_key: Ed25519PublicKey,
    *,
    signing_key: Ed25519PrivateKey | None = None,
    workers: int | None = None,
) -> VerifyReport:
    """Recompute every leaf and root from the rows; with a signing key, sign the verified head."""
    session = uow.session
    head = session.execute(select(t.audit_log_head).where(t.audit_log_head.c.id == 1)).first()
    if head is None:
        return VerifyReport(0, None, 0, Finding(0, None, "the log head row is missing"))
    size = head.size
    stored = list(session.execute(select(t.audit_checkpoints).order_by("tree_size")))
    wanted = [size, *(row.tree_size for row in stored if 0 < row.tree_size <= size)]
    shape = _hash_log(uow, database_url, size, wanted, workers)
    found = (shape.first_finding(), _outside_rows(uow), _derivation_finding(uow))
    findings = [finding for finding in found if finding]
    root = shape.root(size) if size else merkle.EMPTY_ROOT
    checkpoints = [_checkpoint(row) for row in stored]
    findings += _checkpoint_findings(checkpoints, shape, size, public_key)
    if root is not None and root != head.root_hash and not findings:
        since = max((c.tree_size for c in checkpoints), default=0)
        findings.append(Finding(since, None, _HEAD_CHANGED))
    finding = min(findings, default=None)
    signed = None
    grown = not checkpoints or checkpoints[-1].tree_size < size
    if finding is None and signing_key is not None and root is not None and grown:
        signed = _store_checkpoint(uow, signing_key, size, root)
    return VerifyReport(size, root, len(checkpoints), finding, signed)


_HEAD_CHANGED = (
    "the log head's root does not match the events after the last checkpoint: one of them was "
    "changed together with its leaf hash, or the head was altered"
)


def _store_checkpoint(
    uow: UnitOfWork, key: Ed25519PrivateKey, size: int, root: bytes
) -> Checkpoint:
    checkpoint = sign_checkpoint(key, size, root, datetime.now(UTC))
    uow.session.execute(
        t.audit_checkpoints.insert().values(
            tree_size=size,
            root_hash=root,
            signed_at=checkpoint.signed_at,
            signature=checkpoint.signature,
            key_id=checkpoint.key_id,
        )
    )
    uow.commit()
    return checkpoint


def _checkpoint(row: Any) -> Checkpoint:
    return Checkpoint(row.tree_size, row.root_hash, row.signed_at, row.signature, row.key_id)


def _checkpoint_findings(
    checkpoints: list[Checkpoint], shape: LogShape, size: int, public_key: Ed25519PublicKey
) -> list[Finding]:
    """Each checkpoint must be validly signed, no larger than the log, and match its prefix."""
    findings: list[Finding] = []
    previous: Checkpoint | None = None
    for checkpoint in checkpoints:
        start = previous.tree_size if previous else 0
        name = f"the checkpoint of size {checkpoint.tree_size}"
        if checkpoint.key_id != key_id(public_key) or not checkpoint.signed_by(public_key):
            findings.append(
                Finding(checkpoint.tree_size, None, f"{name} is not validly signed by this key")
            )
        elif checkpoint.tree_size > size:
            findings.append(
                Finding(size, None, f"{name} is larger than the log: events were deleted")
            )
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
    events = t.events
    head_size = select(t.audit_log_head.c.size).where(t.audit_log_head.c.id == 1)
    # The first of each kind, each found through the seq index, then the first of those:
    # asked in one WHERE with ORs, PostgreSQL walked the whole index (0.5 s a million events).
    kinds = [
        select(events.c.id, events.c.seq).where(condition).order_by(events.c.seq, events.c.id)
        for condition in (
            events.c.seq.is_(None),
            events.c.seq < 0,
            events.c.seq >= head_size.scalar_subquery(),
        )
    ]
    firsts = union_all(*(select(kind.limit(1).subquery()) for kind in kinds)).subquery()
    row = uow.session.execute(
        select(firsts.c.id, firsts.c.seq).order_by(firsts.c.seq, firsts.c.id).limit(1)
    ).first()
    if row is None:
        return None
    if row.seq is None or row.seq < 0:
        return Finding(float("inf"), row.id, f"it has no valid sequence number ({row.seq})")
    return Finding(row.seq, row.id, "it lies beyond the log head: inserted outside the application")


def _derivation_finding(uow: UnitOfWork) -> Finding | None:
    """Every field of an event must still be derived from its leaf, by Repatria's expression.

    The leaf hashes prove only `body`; a column rebuilt as a plain one, or derived otherwise,
    could show what was never recorded, so it is named as tampering with the whole log."""
    problem = derivation_problem(uow.session.connection(), t.events)
    return None if problem is None else Finding(0, None, problem)


def _hash_log(
    uow: UnitOfWork, database_url: str, size: int, sizes: list[int], workers: int | None
) -> LogShape:
    workers = workers or os.cpu_count() or 1
    if size < PARALLEL_FROM or workers == 1:
        chunk = max(1 << (max(size, 1) - 1).bit_length(), 1)
        connection = uow.session.connection().connection.driver_connection
        result = _hash_range(
            connection, database_url, 0, size, sizes_in_chunk(0, chunk, size, sizes)
        )
        return LogShape(chunk, [result])
    chunk = chunk_size_for(size, workers)
    starts = range(0, size, chunk)
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        futures = [
            pool.submit(
                _hash_range_in_worker,
                database_url,
                start,
                min(start + chunk, size),
                sizes_in_chunk(start, chunk, size, sizes),
            )
            for start in starts
        ]
        return LogShape(chunk, [future.result() for future in futures])


def _hash_range_in_worker(database_url: str, start: int, end: int, sizes: list[int]) -> ChunkResult:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        import sqlite3

        connection: Any = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
    else:
        import psycopg

        connection = psycopg.connect(url.set(drivername="postgresql").render_as_string(False))
    try:
        return _hash_range(connection, database_url, start, end, sizes)
    finally:
        connection.close()


# The rows as hash_chunk takes them, the leaf as its UTF-8 bytes (SQLite's text_factory;
# on PostgreSQL the bytes binary COPY sends, in the SQL_ASCII client encoding that converts
# none), so no value is decoded on the way.
_ROWS = "SELECT id, seq, leaf_hash, body FROM events WHERE seq >= {0} AND seq < {1} ORDER BY seq"
_SQLITE_ROWS = _ROWS.format("?", "?")
# The numbers cast to the type they are parsed as, whatever a tamperer made the columns;
# each other field is taken as the bytes sent (bytea's binary form is its bytes, text's too).
_POSTGRES_COPY = (
    "COPY (SELECT id::int8, seq::int8, leaf_hash, body FROM events "
    "WHERE seq >= {0} AND seq < {1} ORDER BY seq) TO STDOUT (FORMAT BINARY)"
)
_POSTGRES_TYPES = ("int8", "int8", "bytea", "bytea")
_SET_ENCODING = "SELECT set_config('client_encoding', %s, true)"


def _hash_range(
    connection: Any, database_url: str, start: int, end: int, sizes: list[int]
) -> ChunkResult:
    """Stream the rows of positions start..end-1 through a plain DB-API cursor and hash them."""
    if make_url(database_url).get_backend_name() == "sqlite":
        return _hash_sqlite_range(connection, start, end, sizes)
    # A server-side cursor lives in a transaction; a reading connection is in autocommit. The
    # encoding is set for that transaction alone (SET LOCAL), so the connection gets it back.
    with connection.transaction() if connection.autocommit else nullcontext():
        if connection.info.parameter_status("server_encoding") != "UTF8":
            raise Conflict("audit verify needs a PostgreSQL database encoded in UTF8")
        encoding = connection.info.parameter_status("client_encoding")
        connection.execute(_SET_ENCODING, ("SQL_ASCII",))
        # COPY, not a cursor: the driver parses its rows in C, where building them from a
        # cursor's results cost twice as much (half a million rows read and hashed in one
        # process: 2.4 s by a cursor, 1.5 s by COPY).
        query = _POSTGRES_COPY.format(int(start), int(end))
        try:
            with connection.cursor().copy(query) as copy:
                copy.set_types(_POSTGRES_TYPES)
                result = hash_chunk(copy.rows(), start, end, sizes)
                for _ in copy:  # what a finding left unread: the connection is free again
                    pass
                return result
        finally:
            if connection.info.transaction_status.name != "INERROR":
                connection.execute(_SET_ENCODING, (encoding,))


_SQLITE_BOUNDS = (
    "SELECT (SELECT id FROM events WHERE seq = ?), (SELECT id FROM events WHERE seq = ?)"
)
_SQLITE_BY_ID = (
    "SELECT id, seq, leaf_hash, body FROM events NOT INDEXED "
    "WHERE id >= ? AND id < ? AND seq < ? ORDER BY id"
)
_NO_ID_ABOVE = 2**63 - 1


def _hash_sqlite_range(connection: Any, start: int, end: int, sizes: list[int]) -> ChunkResult:
    """The rows of positions start..end-1 of a SQLite log, hashed.

    In an intact log ids rise with seq, so the chunk is one stretch of the table in rowid
    order, which reads faster than through the seq index. Whatever that stretch shows wrong
    is read again in seq order, the order the finding is named in."""
    text_factory = connection.text_factory
    connection.text_factory = bytes
    try:
        first, after = connection.execute(_SQLITE_BOUNDS, (start, end)).fetchone()
        if first is not None:
            bounds = (first, _NO_ID_ABOVE if after is None else after, end)
            result = _hash_sqlite_rows(connection, _SQLITE_BY_ID, bounds, start, end, sizes)
            if result.finding is None:
                return result
        return _hash_sqlite_rows(connection, _SQLITE_ROWS, (start, end), start, end, sizes)
    finally:
        connection.text_factory = text_factory


def _hash_sqlite_rows(
    connection: Any, query: str, parameters: tuple[int, ...], start: int, end: int, sizes: list[int]
) -> ChunkResult:
    cursor = connection.cursor()
    cursor.arraysize = 10_000
    try:
        cursor.execute(query, parameters)
        return hash_chunk(_stream(cursor), start, end, sizes)
    finally:
        cursor.close()


def _stream(cursor: Any) -> Any:
    while rows := cursor.fetchmany(10_000):
        yield from rows


def checkpoint_out(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> dict[str, object]:
    """A checkpoint as the API and CLI publish it."""
    return {
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash.hex(),
        "signed_at": checkpoint.signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "signature": checkpoint.signature.hex(),
        "key_id": checkpoint.key_id,
        "public_key": raw_public_key(public_key).hex(),
    }


def list_checkpoints(uow: UnitOfWork, principal: Principal) -> list[Checkpoint]:
    """Every signed checkpoint, smallest first."""
    require_audit_reader(principal)
    rows = uow.session.execute(select(t.audit_checkpoints).order_by("tree_size"))
    return [_checkpoint(row) for row in rows]


def _leaf_hashes(uow: UnitOfWork, size: int) -> list[bytes]:
    column = t.events.c.leaf_hash
    leaves = list(
        uow.session.scalars(select(column).where(t.events.c.seq < size).order_by(t.events.c.seq))
    )
    if len(leaves) != size:
        raise Conflict("the stored log does not match its checkpoints: run `repatria audit verify`")
    return leaves


def _checkpoint_at(uow: UnitOfWork, size: int | None) -> Checkpoint:
    query = select(t.audit_checkpoints)
    if size is None:
        query = query.order_by(t.audit_checkpoints.c.tree_size.desc()).limit(1)
    else:
        query = query.where(t.audit_checkpoints.c.tree_size == size)
    row = uow.session.execute(query).first()
    if row is None:
        raise NotFound("checkpoint", "latest" if size is None else size)
    return _checkpoint(row)


def event_proof(
    uow: UnitOfWork, principal: Principal, event_id: int, public_key: Ed25519PublicKey
) -> dict[str, object]:
    """The inclusion proof of one event against the latest checkpoint, ready to publish."""
    require_audit_reader(principal)
    event = uow.session.get(Event, event_id)
    if event is None or not sees_states(principal, event.states):
        raise NotFound("event", event_id)
    seq: int = event.seq  # type: ignore[attr-defined]  # mapped column, not in the dataclass
    checkpoint = _checkpoint_at(uow, None)
    if checkpoint.tree_size <= seq:
        raise Conflict(
            f"event {event_id} is newer than the latest checkpoint ({checkpoint.tree_size} "
            "events): sign one with `repatria audit checkpoint`"
        )
    leaves = _leaf_hashes(uow, checkpoint.tree_size)
    if event_leaf_hash(event, seq) != leaves[seq]:
        raise Conflict(
            f"event {event_id} does not match its leaf hash: run `repatria audit verify`"
        )
    levels = merkle.tree_levels(leaves)
    if levels[-1][0] != checkpoint.root_hash:
        raise Conflict("the stored log does not match its checkpoint: run `repatria audit verify`")
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
        raise InvalidInput("from", f"must be between 0 and {tree_size}")
    leaves = _leaf_hashes(uow, tree_size)
    if merkle.tree_hash(leaves) != checkpoint.root_hash:
        raise Conflict("the stored log does not match its checkpoint: run `repatria audit verify`")
    earlier = uow.session.execute(
        select(t.audit_checkpoints).where(t.audit_checkpoints.c.tree_size == from_size)
    ).first()
    return {
        "from_size": from_size,
        "from_root": merkle.tree_hash(leaves[:from_size]).hex(),
        "from_checkpoint": checkpoint_out(_checkpoint(earlier), public_key) if earlier else None,
        "tree_size": tree_size,
        "root_hash": checkpoint.root_hash.hex(),
        "checkpoint": checkpoint_out(checkpoint, public_key),
        "proof": [node.hex() for node in merkle.consistency_proof(leaves, from_size)],
    }


def log_size(uow: UnitOfWork) -> int:
    """How many events the log holds, by its head."""
    return int(uow.session.scalar(select(func.max(t.audit_log_head.c.size))) or 0)
