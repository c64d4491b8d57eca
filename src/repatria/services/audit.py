"""The tamper-evident record: verifying the Merkle log, signing checkpoints, serving proofs."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
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
DEFAULT_PUBLIC_KEY_NAME = "audit-ed25519.pub"
DEFAULT_WITNESS_NAME = "audit-witness.log"
# Below this many events the log is hashed in this process; above, by one process per core.
PARALLEL_FROM = 200_000
_PUBLIC_PEM = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----\s*", re.DOTALL)


class AuditKeyMissing(Conflict):
    """No checkpoint key: outside development its files must be configured and present."""


@dataclass(frozen=True)
class SigningKey:
    """The checkpoint key, where it was read from, and whether it was just generated.

    Only the command that signs (`repatria audit checkpoint`) loads it; every other process
    reads the public key file (`load_public_keys`)."""

    private_key: Ed25519PrivateKey
    path: Path
    generated: bool

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The key outside parties check checkpoints with."""
        return self.private_key.public_key()


def _data_dir(settings: Settings) -> Path:
    database = settings.sqlite_path()
    return database.parent if database else Path("data")


def default_key_path(settings: Settings) -> Path:
    """Where development and test keep their generated key: beside the SQLite file, or data/."""
    return _data_dir(settings) / DEFAULT_KEY_NAME


def public_key_path(settings: Settings) -> Path:
    """The public key file: as configured, else the key file's name with the suffix .pub."""
    if settings.audit_public_key_file is not None:
        return settings.audit_public_key_file
    if settings.audit_key_file is not None:
        return settings.audit_key_file.with_suffix(".pub")
    if settings.env == "production":
        raise AuditKeyMissing(
            "REPATRIA_AUDIT_PUBLIC_KEY_FILE (or REPATRIA_AUDIT_KEY_FILE) must name the "
            "checkpoint key"
        )
    return _data_dir(settings) / DEFAULT_PUBLIC_KEY_NAME


def witness_path(settings: Settings) -> Path:
    """The witness file: as configured (required in production), else beside the database."""
    if settings.audit_witness_file is not None:
        return settings.audit_witness_file
    return _data_dir(settings) / DEFAULT_WITNESS_NAME


def load_public_keys(settings: Settings) -> list[Ed25519PublicKey]:
    """The checkpoint public keys from the public key file: the current one first, then the
    retired ones whose checkpoints still verify. Never reads the private key."""
    path = public_key_path(settings)
    if not path.is_file():
        raise AuditKeyMissing(
            f"no checkpoint public key at {path}: `repatria audit checkpoint` writes it from "
            "the signing key (or: openssl pkey -in KEY.pem -pubout)"
        )
    keys = []
    for block in _PUBLIC_PEM.findall(path.read_bytes()):
        key = load_pem_public_key(block)
        if not isinstance(key, Ed25519PublicKey):
            raise AuditKeyMissing(f"{path} holds a public key that is not Ed25519")
        keys.append(key)
    if not keys:
        raise AuditKeyMissing(f"{path} holds no PEM public key")
    return keys


def load_public_key(settings: Settings) -> Ed25519PublicKey:
    """The current checkpoint public key (the first of the public key file)."""
    return load_public_keys(settings)[0]


def load_signing_key(settings: Settings) -> SigningKey:
    """The configured Ed25519 key; in development and test one is generated when none is set.

    The public key file is written beside it when absent, and must otherwise name this key
    first: what the other processes check checkpoints with is what signs them."""
    if settings.audit_key_file is not None:
        path = settings.audit_key_file
        if not path.is_file():
            raise AuditKeyMissing(f"the audit key file {path} does not exist")
    elif settings.env == "production":
        raise AuditKeyMissing("REPATRIA_AUDIT_KEY_FILE must name the checkpoint signing key")
    else:
        path = default_key_path(settings)
        if not path.is_file():
            signing = SigningKey(_generate_key(path), path, generated=True)
            _ensure_public_key_file(settings, signing.public_key)
            return signing
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyMissing(f"{path} does not hold an Ed25519 private key")
    _ensure_public_key_file(settings, key.public_key())
    return SigningKey(key, path, generated=False)


def _ensure_public_key_file(settings: Settings, public_key: Ed25519PublicKey) -> None:
    path = public_key_path(settings)
    if not path.is_file():
        pem = public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        _write_once(path, pem, 0o644)
    if raw_public_key(load_public_key(settings)) != raw_public_key(public_key):
        raise AuditKeyMissing(
            f"the public key file {path} does not name this signing key first "
            "(see docs/audit.md, rotating the key)"
        )


def _generate_key(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    _write_once(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()), 0o600)
    loaded = load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    return loaded


def _write_once(path: Path, content: bytes, mode: int) -> None:
    """Write a file unless another process wrote it first (never replaces one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def append_witness(path: Path, checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> None:
    """Append a checkpoint to the witness file as one line of JSON (as the API publishes it),
    and make it durable (fsync) before returning."""
    line = json.dumps(checkpoint_out(checkpoint, public_key), separators=(",", ":")) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:  # the new file's name must survive a crash too
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


class WitnessUnreadable(Conflict):
    """A line of the witness file is not a checkpoint."""


def read_witness(path: Path) -> list[Checkpoint] | None:
    """The checkpoints of the witness file in the order written; None when there is no file."""
    if not path.exists():
        return None
    checkpoints = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                fields = json.loads(line)
                checkpoints.append(
                    Checkpoint(
                        int(fields["tree_size"]),
                        bytes.fromhex(fields["root_hash"]),
                        datetime.strptime(fields["signed_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
                            tzinfo=UTC
                        ),
                        bytes.fromhex(fields["signature"]),
                        str(fields["key_id"]),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise WitnessUnreadable(
                    f"line {number} of the witness file {path} is not a checkpoint ({exc})"
                ) from None
    return checkpoints


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
    session = uow.session
    head = session.execute(select(t.audit_log_head).where(t.audit_log_head.c.id == 1)).first()
    if head is None:
        return VerifyReport(0, None, 0, Finding(0, None, "the log head row is missing"))
    size = head.size
    try:
        witnessed = read_witness(witness) if witness is not None else []
    except WitnessUnreadable as exc:
        return VerifyReport(size, None, 0, Finding(0, None, str(exc)))
    stored = list(session.execute(select(t.audit_checkpoints).order_by("tree_size")))
    checkpoints = [_checkpoint(row) for row in stored]
    sizes = {c.tree_size for c in checkpoints} | {c.tree_size for c in witnessed or []}
    wanted = [size, *(n for n in sorted(sizes) if 0 < n <= size)]
    shape = _hash_log(uow, database_url, size, wanted, workers)
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
        elif not _same(stored, checkpoint):
            problem = f"{name} differs from the database's checkpoint of that size"
        else:
            continue
        findings.append(Finding(min(checkpoint.tree_size, size), None, problem))
    return findings


def sign(
    uow: UnitOfWork,
    database_url: str,
    key: SigningKey,
    witness: Path,
    *,
    retired_keys: Sequence[Ed25519PublicKey] = (),
    start_witness: bool = False,
    workers: int | None = None,
) -> VerifyReport:
    """Verify the log, then sign a checkpoint of it, store it and append it to the witness
    file (the latest checkpoint, when the log has not grown, goes to a witness that lacks it).

    The report's finding, when there is one, is why nothing was signed."""
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
    latest = _latest_checkpoint(uow)
    witnessed = read_witness(witness) or []
    if latest is not None and latest.tree_size == report.tree_size:
        if not witnessed or not _same(witnessed[-1], latest):
            append_witness(witness, latest, key.public_key)
        return report
    checkpoint = sign_checkpoint(key.private_key, report.tree_size, report.root_hash, _now())
    uow.session.execute(
        t.audit_checkpoints.insert().values(
            tree_size=checkpoint.tree_size,
            root_hash=checkpoint.root_hash,
            signed_at=checkpoint.signed_at,
            signature=checkpoint.signature,
            key_id=checkpoint.key_id,
        )
    )
    uow.session.flush()
    # Witnessed before the commit: a checkpoint the database holds is always witnessed (a
    # crash between the two leaves one witnessed that the database lacks, which verify names).
    append_witness(witness, checkpoint, key.public_key)
    uow.commit()
    return replace(report, new_checkpoint=checkpoint)


def _same(one: Checkpoint, other: Checkpoint) -> bool:
    """The same signed statement: message, signature and key."""
    return (one.message(), one.signature, one.key_id) == (
        other.message(),
        other.signature,
        other.key_id,
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _latest_checkpoint(uow: UnitOfWork) -> Checkpoint | None:
    query = select(t.audit_checkpoints).order_by(t.audit_checkpoints.c.tree_size.desc()).limit(1)
    row = uow.session.execute(query).first()
    return None if row is None else _checkpoint(row)


def _checkpoint(row: Any) -> Checkpoint:
    return Checkpoint(row.tree_size, row.root_hash, row.signed_at, row.signature, row.key_id)


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
