"""The tamper-evident record on SQLite and PostgreSQL: verification names the altered event."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from repatria.adapters.db import audit_hashing
from repatria.adapters.db import tables as t
from repatria.bootstrap import Container
from repatria.domain import merkle
from repatria.domain.accounts import Principal, Role
from repatria.domain.audit import canonical_json, event_leaf
from repatria.domain.audit_checkpoints import key_id, public_key_from_hex, sign_checkpoint
from repatria.domain.events import Event
from repatria.services import audit, audit_keys, audit_verify, checkpoint_requests
from repatria.services.audit import SigningKey, VerifyReport
from repatria.services.unit_of_work import utcnow
from repatria.settings import Settings
from tests.services.exchange.fakes import ExchangeStore, ExchangeUnitOfWork

pytestmark = pytest.mark.storage  # SQLite and PostgreSQL: what it tests differs by database

ACTOR = Principal.system("test")


@pytest.fixture
def key(settings: Settings, tmp_path: Path) -> SigningKey:
    """A checkpoint key of this test's own (never the developer's data/ key)."""
    path = tmp_path / "keys" / "audit.pem"
    audit_keys.load_signing_key(Settings(database_url=f"sqlite:///{path.parent}/unused.sqlite3"))
    (path.parent / audit_keys.DEFAULT_KEY_NAME).rename(path)
    return audit_keys.load_signing_key(settings.model_copy(update={"audit_key_file": path}))


def record(container: Container, count: int, *, start: int = 0) -> None:
    with container.uow() as uow:
        for number in range(start, start + count):
            uow.record(
                ACTOR,
                "OpenCase",
                "case",
                number,
                before=None,
                after={"state": "draft", "number": number},
                reason=f"reason {number}",
                states=["US", "MX"],
            )
        uow.commit()


def run_verify(container: Container, key: SigningKey, *, sign: bool = True) -> VerifyReport:
    """Verify the log against the witness file; with `sign`, then sign a checkpoint of it as
    `repatria audit checkpoint` does."""
    witness = audit_keys.witness_path(container.settings)
    with container.uow() as uow:
        if sign:
            return audit.sign(uow, container.settings.database_url, key, witness)
        return audit_verify.verify(
            uow, container.settings.database_url, key.public_key, witness=witness
        )


def sql(container: Container, statement: str, **params: object) -> None:
    with container.engine.begin() as connection:
        connection.execute(text(statement), params)


def rewrite(container: Container, at: int, **fields: object) -> None:
    """Change fields of the event at seq in its stored leaf, as someone with the database could
    (its leaf hash left as it was unless `rehash`)."""
    rehash = bool(fields.pop("rehash", False))
    with container.engine.begin() as connection:
        body = connection.scalar(text("SELECT body FROM events WHERE seq = :s"), {"s": at})
        leaf = json.loads(body) | fields
        new_body = canonical_json(leaf)
        values = {"b": new_body, "s": at, "h": merkle.leaf_hash(new_body.encode())}
        assignment = "body = :b, leaf_hash = :h" if rehash else "body = :b"
        connection.execute(text(f"UPDATE events SET {assignment} WHERE seq = :s"), values)  # noqa: S608


def event_id_at(container: Container, seq: int) -> int:
    with container.engine.connect() as connection:
        return int(connection.scalar(text("SELECT id FROM events WHERE seq = :s"), {"s": seq}))


# Text the leaf's JSON quoting must get right: quotes, backslashes, every control character,
# DEL, the line and paragraph separators JSON allows raw, accents and an emoji.
AWKWARD = ['"quoted" \\ back\\slash', "".join(map(chr, range(1, 32))), "\x7f\u2028\u2029", "é ñ 😀"]


def test_a_record_of_awkward_text_verifies(container: Container, key: SigningKey) -> None:
    with container.uow() as uow:
        for number, awkward in enumerate(AWKWARD):
            uow.record(
                Principal.system(awkward[:20]),
                awkward[:20],
                awkward[:20],
                awkward[:20],
                after={"text": awkward, "number": number},
                reason=awkward,
                legal_basis=awkward,
                states=["US"],
            )
        uow.commit()
    record(container, 3)
    report = run_verify(container, key)
    assert report.intact and report.tree_size == len(AWKWARD) + 3


def test_every_field_reads_back_from_the_leaf_as_recorded(container: Container) -> None:
    recorded = []
    with container.uow() as uow:
        for number, awkward in enumerate(AWKWARD):
            recorded.append(
                uow.record(
                    Principal.system(awkward[:20]),
                    awkward[:20],
                    awkward[:20],
                    awkward[:20],
                    before={"list": [awkward, 1.5, None, True]} if number % 2 else None,
                    after={"text": awkward, "number": number, "nested": {"é": [{}]}},
                    reason=awkward,
                    legal_basis=awkward,
                    states=["US", "MX"],
                )
            )
        uow.commit()
    fields = [name for name in Event.__dataclass_fields__]
    with container.engine.connect() as connection:
        rows = connection.execute(select(t.events).order_by(t.events.c.seq)).mappings().all()
    assert [{name: row[name] for name in fields} for row in rows] == [
        {name: getattr(event, name) for name in fields} for event in recorded
    ]


def test_an_untouched_record_verifies_and_is_signed(container: Container, key: SigningKey) -> None:
    record(container, 5)
    report = run_verify(container, key)
    assert report.intact and report.tree_size == 5
    assert report.new_checkpoint is not None and report.new_checkpoint.tree_size == 5
    record(container, 3, start=5)
    again = run_verify(container, key)
    assert again.intact and again.checkpoints_checked == 1 and again.tree_size == 8


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reason", "nothing happened"),
        ("actor", "someone-else"),
        ("subject_type", "person"),
        ("subject_id", "999"),
        ("after", {"number": 3, "state": "approved"}),
        ("states", ["US"]),
        ("legal_basis", "none"),
        ("occurred_at", "2026-01-01T00:00:00.000000Z"),
        ("command", "CloseCase"),
    ],
)
def test_an_updated_field_is_named_at_its_event(
    container: Container, key: SigningKey, field: str, value: object
) -> None:
    record(container, 6)
    run_verify(container, key)
    rewrite(container, 3, **{field: value})
    finding = run_verify(container, key).finding
    assert finding is not None
    assert (finding.seq, finding.event_id) == (3, event_id_at(container, 3))
    assert "leaf hash" in finding.problem


@pytest.mark.parametrize(
    "assignment",
    [
        "reason = 'nothing happened'",
        "command = 'CloseCase'",
        "occurred_at = recorded_at",
        "states = before",
        "seq = 40",
        "actor_id = NULL",
    ],
)
def test_a_field_cannot_be_changed_apart_from_its_leaf(
    container: Container, key: SigningKey, assignment: str
) -> None:
    record(container, 3)
    with pytest.raises(DBAPIError, match="generated column"):
        sql(container, f"UPDATE events SET {assignment} WHERE seq = 1")  # noqa: S608
    assert run_verify(container, key).intact


def test_a_deleted_event_is_named_by_its_sequence_number(
    container: Container, key: SigningKey
) -> None:
    record(container, 6)
    sql(container, "DELETE FROM events WHERE seq = 2")
    finding = run_verify(container, key).finding
    assert finding is not None and finding.seq == 2 and "deleted" in finding.problem


def test_a_truncated_end_is_found_against_the_checkpoint(
    container: Container, key: SigningKey
) -> None:
    record(container, 6)
    run_verify(container, key)
    sql(container, "DELETE FROM events WHERE seq >= 4")
    sql(container, "UPDATE audit_log_head SET size = 4")  # hiding it from the head, too
    finding = run_verify(container, key).finding
    assert finding is not None and finding.seq == 4 and "deleted" in finding.problem


def test_two_swapped_events_are_named_at_the_first(container: Container, key: SigningKey) -> None:
    record(container, 6)
    ids = {seq: event_id_at(container, seq) for seq in (1, 4)}
    with container.engine.begin() as connection:
        rows = {
            seq: connection.execute(
                text("SELECT body, leaf_hash FROM events WHERE seq = :s"), {"s": seq}
            ).one()
            for seq in (1, 4)
        }
        aside = canonical_json(json.loads(rows[1][0]) | {"seq": 10_000})  # seq stays unique
        connection.execute(
            text("UPDATE events SET body = :b WHERE id = :i"), {"b": aside, "i": ids[1]}
        )
        for seq, other in ((4, 1), (1, 4)):  # each row takes the other's leaf, hash and all
            connection.execute(
                text("UPDATE events SET body = :b, leaf_hash = :h WHERE id = :i"),
                {"b": rows[other][0], "h": rows[other][1], "i": ids[seq]},
            )
    finding = run_verify(container, key).finding
    assert finding is not None and (finding.seq, finding.event_id) == (1, ids[4])


def forge(container: Container, seq: int) -> int:
    """Insert a well-formed event at seq, with a correct leaf hash, as an attacker could."""
    now = utcnow()
    event = Event("ForgedCommand", "case", "1", now, now, "mallory", states=["US"])
    body = event_leaf(event, seq)
    with container.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO events (body, leaf_hash) VALUES (:b, :h)"),
            {"b": body.decode(), "h": merkle.leaf_hash(body)},
        )
        return int(connection.scalar(text("SELECT id FROM events WHERE seq = :s"), {"s": seq}))


def test_a_forged_event_inserted_in_the_middle_is_named(
    container: Container, key: SigningKey
) -> None:
    record(container, 6)
    # Make room at seq 2 the way an attacker must: move every later event up by one, its
    # leaf rewritten with its new position and hashed again.
    for seq in range(5, 1, -1):
        rewrite(container, seq, seq=seq + 1, rehash=True)
    forged = forge(container, 2)
    finding = run_verify(container, key).finding
    assert finding is not None and (finding.seq, finding.event_id) == (2, forged)


def test_a_forged_event_appended_at_the_end_is_named(container: Container, key: SigningKey) -> None:
    record(container, 6)
    run_verify(container, key)
    forged = forge(container, 6)
    finding = run_verify(container, key).finding
    assert finding is not None and (finding.seq, finding.event_id) == (6, forged)


def test_a_change_with_a_recomputed_leaf_hash_fails_the_checkpoint(
    container: Container, key: SigningKey
) -> None:
    record(container, 8)
    run_verify(container, key)
    sql(container, "UPDATE events SET leaf_hash = :h WHERE seq = 5", h=b"\x07" * 32)
    sql(container, "UPDATE audit_log_head SET root_hash = :h", h=b"\x07" * 32)
    finding = run_verify(container, key).finding
    assert finding is not None and finding.seq is not None and finding.seq <= 5
    assert "checkpoint" in finding.problem or "leaf hash" in finding.problem


def test_checkpoints_are_consistent_with_each_other(container: Container, key: SigningKey) -> None:
    record(container, 5)
    run_verify(container, key)
    record(container, 8, start=5)
    run_verify(container, key)
    with container.uow() as uow:
        document = audit.consistency(uow, ACTOR, 13, 5, key.public_key)
    assert document["from_checkpoint"] is not None
    assert merkle.verify_consistency(
        5,
        13,
        bytes.fromhex(str(document["from_root"])),
        bytes.fromhex(str(document["root_hash"])),
        [bytes.fromhex(node) for node in document["proof"]],  # type: ignore[attr-defined]
    )


def test_an_event_proof_verifies_with_the_published_key(
    container: Container, key: SigningKey
) -> None:
    record(container, 11)
    run_verify(container, key)
    with container.uow() as uow:
        document = audit.event_proof(uow, ACTOR, event_id_at(container, 6), key.public_key)
    assert merkle.verify_inclusion_document(document)
    checkpoint = document["checkpoint"]
    assert isinstance(checkpoint, dict)
    with container.uow() as uow:
        (stored,) = audit.list_checkpoints(uow, ACTOR)
    assert stored.signed_by(public_key_from_hex(checkpoint["public_key"]))


def test_an_exception_in_a_command_leaves_neither_change_nor_event(
    container: Container, key: SigningKey
) -> None:
    record(container, 2)
    with pytest.raises(RuntimeError), container.uow() as uow:
        uow.record(ACTOR, "OpenCase", "case", 99, states=["US"])
        raise RuntimeError("the command failed half way")
    with pytest.raises(Exception), container.uow() as uow:  # noqa: B017
        uow.record(ACTOR, "OpenCase", "case", 98, states=["US"])
        uow.session.execute(text("INSERT INTO no_such_table VALUES (1)"))
        uow.commit()
    with container.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM events")) == 2
        assert connection.scalar(text("SELECT size FROM audit_log_head")) == 2
    assert run_verify(container, key).intact


def test_concurrent_writers_leave_a_contiguous_verifiable_log(
    container: Container, key: SigningKey
) -> None:
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for command in range(25):
                record(container, 1, start=number * 100 + command)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with container.engine.connect() as connection:
        seqs = [row[0] for row in connection.execute(text("SELECT seq FROM events ORDER BY seq"))]
    assert seqs == list(range(200))
    assert run_verify(container, key).intact


@pytest.fixture
def in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Verify the way a large log is verified: chunks of 8 events hashed in worker processes."""
    monkeypatch.setattr(audit_hashing, "PARALLEL_FROM", 1)
    monkeypatch.setattr(audit_hashing, "chunk_size_for", lambda size, workers: 8)


def run_verify_in_workers(container: Container, key: SigningKey) -> VerifyReport:
    with container.uow() as uow:
        return audit_verify.verify(
            uow,
            container.settings.database_url,
            key.public_key,
            witness=audit_keys.witness_path(container.settings),
            workers=2,
        )


@pytest.mark.usefixtures("in_chunks")
def test_a_log_hashed_in_worker_processes_gives_the_same_root(
    container: Container, key: SigningKey
) -> None:
    record(container, 29)
    in_workers = run_verify_in_workers(container, key)
    with container.uow() as uow:
        leaves = audit._leaf_hashes(uow, 29)
    assert in_workers.intact and in_workers.root_hash == merkle.tree_hash(leaves)


@pytest.mark.usefixtures("in_chunks")
@pytest.mark.parametrize(
    ("tamper", "seq"),
    [
        (
            'UPDATE events SET body = replace(body, \'"reason":"\', \'"reason":"x\') '
            "WHERE seq = 19",
            19,
        ),
        ("DELETE FROM events WHERE seq = 16", 16),  # the first of a chunk
        ("DELETE FROM events WHERE seq = 15", 15),  # the last of a chunk
    ],
)
def test_worker_processes_name_the_altered_event(
    container: Container, key: SigningKey, tamper: str, seq: int
) -> None:
    record(container, 29)
    run_verify(container, key)
    sql(container, tamper)
    finding = run_verify_in_workers(container, key).finding
    assert finding is not None and finding.seq == seq


def test_a_column_no_longer_derived_from_the_leaf_is_named(
    container: Container, key: SigningKey
) -> None:
    record(container, 4)
    assert run_verify(container, key).intact
    if container.engine.dialect.name == "postgresql":
        sql(container, "ALTER TABLE events ALTER COLUMN reason DROP EXPRESSION")
    else:  # SQLite keeps no way to drop an expression: the table is rebuilt with plain columns
        sql(container, "ALTER TABLE events RENAME TO events_rebuilt")
        sql(container, "CREATE TABLE events AS SELECT * FROM events_rebuilt")
        sql(container, "DROP TABLE events_rebuilt")
    sql(container, "UPDATE events SET reason = 'nothing happened' WHERE seq = 2")
    finding = run_verify(container, key).finding
    assert finding is not None and "no longer derived from the event's leaf" in finding.problem


def test_a_column_derived_another_way_is_named(container: Container, key: SigningKey) -> None:
    record(container, 4)
    if container.engine.dialect.name == "postgresql":
        sql(container, "ALTER TABLE events ALTER COLUMN reason DROP EXPRESSION")
        sql(container, "ALTER TABLE events DROP COLUMN reason")
        sql(
            container,
            "ALTER TABLE events ADD COLUMN reason text GENERATED ALWAYS AS ('all in order') STORED",
        )
    else:
        with container.engine.connect() as connection:
            create = connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'events'"))
        forged = create.replace("json_extract(body, '$.reason')", "'all in order'")
        sql(container, "ALTER TABLE events RENAME TO events_rebuilt")
        sql(container, forged)
        sql(
            container,
            "INSERT INTO events (id, body, leaf_hash) "
            "SELECT id, body, leaf_hash FROM events_rebuilt",
        )
        sql(container, "DROP TABLE events_rebuilt")
    finding = run_verify(container, key).finding
    assert finding is not None and "derived by another expression" in finding.problem


def rebuild_sqlite_events(container: Container, create: str) -> None:
    """Rebuild the SQLite events table from this CREATE TABLE text, rows and all."""
    sql(container, "ALTER TABLE events RENAME TO events_rebuilt")
    sql(container, create)
    sql(
        container,
        "INSERT INTO events (id, body, leaf_hash) SELECT id, body, leaf_hash FROM events_rebuilt",
    )
    sql(container, "DROP TABLE events_rebuilt")


def events_table_text(container: Container) -> str:
    with container.engine.connect() as connection:
        return str(connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'events'")))


REASON = "reason TEXT NOT NULL GENERATED ALWAYS AS (json_extract(body, '$.reason')) VIRTUAL"
ACTOR_ID = "actor_id INTEGER GENERATED ALWAYS AS (json_extract(body, '$.actor_id')) VIRTUAL"


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("genuine", "forged"),
    [
        # The genuine line kept in a comment after the forged one.
        (REASON, f"reason TEXT NOT NULL GENERATED ALWAYS AS ('fine') VIRTUAL /*\n{REASON},*/"),
        # A JSON key is case-sensitive: this reads nothing, and every actor is gone.
        (ACTOR_ID, ACTOR_ID.replace("'$.actor_id'", "'$.ACTOR_ID'")),
        # Kept, not derived at each read: whatever was stored when the table was rebuilt.
        (REASON, REASON.replace("VIRTUAL", "STORED")),
    ],
    ids=["commented", "other-key", "stored"],
)
def test_a_sqlite_column_derived_another_way_is_named(
    container: Container, key: SigningKey, genuine: str, forged: str
) -> None:
    record(container, 3)
    create = events_table_text(container)
    assert genuine + "," in create
    rebuild_sqlite_events(container, create.replace(genuine + ",", forged + ","))
    finding = run_verify(container, key).finding
    column = genuine.split()[0]
    assert finding is not None and f"{column} is derived by another expression" in finding.problem


def test_a_seq_no_longer_unique_is_named(container: Container, key: SigningKey) -> None:
    record(container, 3)
    if container.engine.dialect.name == "postgresql":
        sql(container, "ALTER TABLE events DROP CONSTRAINT uq_events_seq")
    else:
        create = events_table_text(container)
        assert "CONSTRAINT uq_events_seq UNIQUE (seq), " in create
        rebuild_sqlite_events(
            container, create.replace("CONSTRAINT uq_events_seq UNIQUE (seq), ", "")
        )
    finding = run_verify(container, key).finding
    assert finding is not None and "seq is no longer unique" in finding.problem


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_column_derived_through_a_function_of_someone_elses_is_named(
    container: Container, key: SigningKey
) -> None:
    record(container, 2)
    sql(
        container,
        "CREATE FUNCTION public.reason_of(text) RETURNS text LANGUAGE sql IMMUTABLE "
        "AS $$SELECT $1::json ->> 'reason'$$",
    )
    sql(container, "ALTER TABLE events DROP COLUMN reason")
    sql(
        container,
        "ALTER TABLE events ADD COLUMN reason text GENERATED ALWAYS AS (reason_of(body)) STORED",
    )
    finding = run_verify(container, key).finding
    assert finding is not None and "function reason_of(text)" in finding.problem


# An operator with write access to the database, against the witness file kept outside it.


def rebuild_head(container: Container) -> None:
    """Recompute the log head from the stored leaf hashes with the project's own Frontier, as
    someone who rewrote events would, so the database agrees with itself again."""
    with container.engine.begin() as connection:
        leaves = connection.scalars(text("SELECT leaf_hash FROM events ORDER BY seq")).all()
        frontier = merkle.Frontier()
        for leaf in leaves:
            frontier.append(bytes(leaf))
        connection.execute(
            text("UPDATE audit_log_head SET size = :n, root_hash = :r, frontier = :f"),
            {"n": frontier.size, "r": frontier.root(), "f": frontier.to_bytes()},
        )


def witness_lines(container: Container) -> list[str]:
    return audit_keys.witness_path(container.settings).read_text().splitlines()


def stored_checkpoints(container: Container) -> list[tuple[object, ...]]:
    with container.engine.connect() as connection:
        rows = connection.execute(select(t.audit_checkpoints).order_by(t.audit_checkpoints.c.id))
        return [tuple(row) for row in rows]


def test_a_consistent_rewrite_with_the_checkpoints_deleted_is_caught_by_the_witness(
    container: Container, key: SigningKey
) -> None:
    record(container, 4)
    run_verify(container, key)
    record(container, 4, start=4)
    run_verify(container, key)
    record(container, 3, start=8)  # not yet witnessed
    rewrite(container, 5, reason="nothing happened", rehash=True)
    rebuild_head(container)
    sql(container, "DELETE FROM audit_checkpoints")
    with container.uow() as uow:  # the database alone no longer shows anything
        alone = audit_verify.verify(
            uow, container.settings.database_url, key.public_key, witness=None
        )
    assert alone.intact
    finding = run_verify(container, key, sign=False).finding
    assert finding is not None and finding.seq == 4
    assert "witnessed checkpoint of size 8 does not match" in finding.problem
    assert "between seq 4 and 7" in finding.problem
    signing = run_verify(container, key)
    assert signing.finding == finding and signing.new_checkpoint is None  # nor is it signed


def test_a_truncated_log_with_its_head_rebuilt_is_caught_by_the_witness(
    container: Container, key: SigningKey
) -> None:
    record(container, 6)
    run_verify(container, key)
    sql(container, "DELETE FROM events WHERE seq >= 4")
    sql(container, "DELETE FROM audit_checkpoints")
    rebuild_head(container)
    finding = run_verify(container, key, sign=False).finding
    assert finding is not None and finding.seq == 4
    assert "witnessed checkpoint of size 6 is larger than the log of 4 events" in finding.problem


def test_deleted_checkpoints_of_an_untouched_log_are_named(
    container: Container, key: SigningKey
) -> None:
    record(container, 5)
    run_verify(container, key)
    sql(container, "DELETE FROM audit_checkpoints")
    finding = run_verify(container, key, sign=False).finding
    assert finding is not None
    assert "witnessed checkpoint of size 5 is not in the database" in finding.problem


def test_a_checkpoint_in_the_database_that_differs_from_the_witness_is_named(
    container: Container, key: SigningKey
) -> None:
    record(container, 5)
    run_verify(container, key)
    assert run_verify(container, key, sign=False).intact
    with container.engine.begin() as connection:  # another signature of the same tree head
        row = connection.execute(select(t.audit_checkpoints)).one()
        other = sign_checkpoint(key.private_key, 5, row.root_hash, datetime(2030, 1, 1, tzinfo=UTC))
        connection.execute(
            t.audit_checkpoints.update().values(
                signed_at=other.signed_at, signature=other.signature
            )
        )
    finding = run_verify(container, key, sign=False).finding
    assert finding is not None and "differs from the database's checkpoint" in finding.problem


def test_verify_writes_nothing_and_checkpoint_appends_one_line(
    container: Container, key: SigningKey
) -> None:
    record(container, 3)
    assert run_verify(container, key, sign=False).intact
    assert not audit_keys.witness_path(container.settings).exists() and not stored_checkpoints(
        container
    )
    first = run_verify(container, key).new_checkpoint
    assert first is not None and len(witness_lines(container)) == 1
    record(container, 2, start=3)  # the log grew: verify still signs nothing
    witness_before = audit_keys.witness_path(container.settings).read_bytes()
    rows_before = stored_checkpoints(container)
    report = run_verify(container, key, sign=False)
    assert report.intact and report.new_checkpoint is None and report.witnessed == 1
    assert audit_keys.witness_path(container.settings).read_bytes() == witness_before
    assert stored_checkpoints(container) == rows_before
    second = run_verify(container, key).new_checkpoint
    lines = witness_lines(container)
    assert second is not None and second.tree_size == 5 and len(lines) == 2
    assert lines[0].encode() + b"\n" == witness_before  # appended, the line before untouched
    assert json.loads(lines[1])["tree_size"] == 5
    assert run_verify(container, key).new_checkpoint is None  # unchanged log: no new line
    assert len(witness_lines(container)) == 2 and len(stored_checkpoints(container)) == 2


def test_a_lost_witness_is_named_and_only_started_again_on_purpose(
    container: Container, key: SigningKey
) -> None:
    record(container, 3)
    run_verify(container, key)
    audit_keys.witness_path(container.settings).unlink()
    finding = run_verify(container, key, sign=False).finding
    assert finding is not None and "does not exist" in finding.problem
    assert run_verify(container, key).finding == finding  # cron's checkpoint does not restart it
    with container.uow() as uow:
        report = audit.sign(
            uow,
            container.settings.database_url,
            key,
            audit_keys.witness_path(container.settings),
            start_witness=True,
        )
    assert report.intact and len(witness_lines(container)) == 1  # the latest, witnessed now
    assert run_verify(container, key, sign=False).intact


def test_a_checkpoint_signed_by_a_retired_key_still_verifies(
    container: Container, key: SigningKey, tmp_path: Path
) -> None:
    record(container, 3)
    run_verify(container, key)
    new_place = Settings(database_url=f"sqlite:///{tmp_path}/new/unused.sqlite3")
    new_key = audit_keys.load_signing_key(new_place)  # generated, its public key file beside it
    public = audit_keys.public_key_path(new_place)  # the new key first, then the retired one
    public.write_bytes(public.read_bytes() + key.path.with_suffix(".pub").read_bytes())
    keys = audit_keys.load_public_keys(new_place)
    assert [key_id(k) for k in keys] == [key_id(new_key.public_key), key_id(key.public_key)]
    record(container, 2, start=3)
    witness = audit_keys.witness_path(container.settings)
    with container.uow() as uow:
        report = audit.sign(
            uow, container.settings.database_url, new_key, witness, retired_keys=keys[1:]
        )
    assert report.intact and report.new_checkpoint is not None
    with container.uow() as uow:
        alone = audit_verify.verify(uow, container.settings.database_url, keys[0], witness=witness)
    assert alone.finding is not None and "not validly signed" in alone.finding.problem
    with container.uow() as uow:
        both = audit_verify.verify(
            uow, container.settings.database_url, keys[0], witness=witness, retired_keys=keys[1:]
        )
    assert both.intact and both.checkpoints_checked == 2 and both.witnessed == 2


def test_production_refuses_to_start_without_a_witness_file(tmp_path: Path) -> None:
    key = tmp_path / "audit.pub"
    with pytest.raises(ValidationError, match="REPATRIA_AUDIT_WITNESS_FILE"):
        Settings(env="production", secret_key="a real secret", audit_public_key_file=key)
    witness = tmp_path / "witness.log"
    settings = Settings(
        env="production",
        secret_key="a real secret",
        audit_witness_file=witness,
        audit_public_key_file=key,
    )
    assert audit_keys.witness_path(settings) == witness


# The same use cases on the in-memory unit of work (tests/services/exchange/fakes.py), where the
# record is the events its units committed: no database, one test run.


def memory_key(tmp_path: Path) -> SigningKey:
    return SigningKey(Ed25519PrivateKey.generate(), tmp_path / "audit.pem", generated=True)


def recorded_in_memory(count: int) -> ExchangeStore:
    store = ExchangeStore()
    with ExchangeUnitOfWork(store) as uow:
        for number in range(count):
            uow.record(
                ACTOR,
                "OpenCase",
                "case",
                number,
                after={"state": "draft", "number": number},
                reason=f"reason {number}",
                states=["US", "MX"],
            )
        uow.commit()
    return store


def test_in_memory_a_signed_checkpoint_is_witnessed_and_proves_each_event(
    tmp_path: Path,
) -> None:
    store, key, witness = recorded_in_memory(5), memory_key(tmp_path), tmp_path / "witness.log"
    with ExchangeUnitOfWork(store) as uow:
        report = audit.sign(uow, "memory", key, witness, note_origin="US")
    assert report.intact and report.new_checkpoint is not None
    assert report.new_checkpoint.tree_size == 5
    assert [c.tree_size for c in audit_keys.read_witness(witness) or []] == [5]
    assert list(store.tables.notes) == [5]  # the signed note peers receive
    third = store.events[2].id
    assert third is not None
    with ExchangeUnitOfWork(store) as uow:
        proof = audit.event_proof(uow, ACTOR, third, key.public_key)
        assert audit.log_size(uow) == 5
    assert proof["leaf_index"] == 2 and merkle.verify_inclusion_document(proof)


def test_in_memory_an_event_changed_after_its_checkpoint_is_found_and_nothing_is_signed(
    tmp_path: Path,
) -> None:
    store, key, witness = recorded_in_memory(6), memory_key(tmp_path), tmp_path / "witness.log"
    with ExchangeUnitOfWork(store) as uow:
        audit.sign(uow, "memory", key, witness)
    store.events[3].reason = "a reason never recorded"
    with ExchangeUnitOfWork(store) as uow:
        report = audit.sign(uow, "memory", key, witness)
    assert report.finding is not None and report.new_checkpoint is None
    assert "the checkpoint of size 6 does not match the events" in report.finding.problem
    assert [c.tree_size for c in store.tables.signed] == [6]


def test_in_memory_a_checkpoint_request_is_answered_by_the_checkpoint_that_holds_it(
    tmp_path: Path,
) -> None:
    store, key, witness = recorded_in_memory(3), memory_key(tmp_path), tmp_path / "witness.log"
    auditor = Principal(7, "mx-auditor", Role.AUDITOR, 2, "MX")
    with ExchangeUnitOfWork(store) as uow:
        asked = checkpoint_requests.request(uow, auditor, "before the quarterly review")
        uow.commit()
    with ExchangeUnitOfWork(store) as uow:
        assert checkpoint_requests.pending(uow) == 1
        report = audit.sign(uow, "memory", key, witness)
    assert report.new_checkpoint is not None and report.new_checkpoint.tree_size == 4
    with ExchangeUnitOfWork(store) as uow:
        [answered] = checkpoint_requests.list_requests(uow, auditor)
        assert checkpoint_requests.pending(uow) == 0
    assert (answered.id, answered.answered_by_size) == (asked, 4)
