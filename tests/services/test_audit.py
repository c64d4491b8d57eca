"""The tamper-evident record on SQLite and PostgreSQL: verification names the altered event."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from repatria.bootstrap import Container
from repatria.domain import merkle
from repatria.domain.accounts import Principal
from repatria.domain.audit import canonical_json, event_leaf_hash
from repatria.domain.audit_checkpoints import public_key_from_hex
from repatria.domain.events import Event
from repatria.services import audit
from repatria.services.audit import SigningKey, VerifyReport
from repatria.services.unit_of_work import utcnow
from repatria.settings import Settings

ACTOR = Principal.system("test")


@pytest.fixture
def key(settings: Settings, tmp_path: Path) -> SigningKey:
    """A checkpoint key of this test's own (never the developer's data/ key)."""
    path = tmp_path / "keys" / "audit.pem"
    audit.load_signing_key(Settings(database_url=f"sqlite:///{path.parent}/unused.sqlite3"))
    (path.parent / audit.DEFAULT_KEY_NAME).rename(path)
    return audit.load_signing_key(settings.model_copy(update={"audit_key_file": path}))


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
    with container.uow() as uow:
        return audit.verify(
            uow,
            container.settings.database_url,
            key.public_key,
            signing_key=key.private_key if sign else None,
        )


def sql(container: Container, statement: str, **params: object) -> None:
    with container.engine.begin() as connection:
        connection.execute(text(statement), params)


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


def test_an_untouched_record_verifies_and_is_signed(container: Container, key: SigningKey) -> None:
    record(container, 5)
    report = run_verify(container, key)
    assert report.intact and report.tree_size == 5
    assert report.new_checkpoint is not None and report.new_checkpoint.tree_size == 5
    record(container, 3, start=5)
    again = run_verify(container, key)
    assert again.intact and again.checkpoints_checked == 1 and again.tree_size == 8


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("reason", "nothing happened"),
        ("actor", "someone-else"),
        ("subject_type", "person"),
        ("subject_id", "999"),
        ("after", '{"number":3,"state":"approved"}'),
        ("states", '["US"]'),
        ("legal_basis", "none"),
    ],
)
def test_an_updated_field_is_named_at_its_event(
    container: Container, key: SigningKey, column: str, value: object
) -> None:
    record(container, 6)
    run_verify(container, key)
    sql(container, f"UPDATE events SET {column} = :value WHERE seq = 3", value=value)  # noqa: S608
    finding = run_verify(container, key).finding
    assert finding is not None
    assert (finding.seq, finding.event_id) == (3, event_id_at(container, 3))


def test_an_updated_moment_is_named_at_its_event(container: Container, key: SigningKey) -> None:
    record(container, 4)
    sql(container, "UPDATE events SET occurred_at = :at WHERE seq = 2", at=utcnow())
    finding = run_verify(container, key).finding
    assert finding is not None and finding.seq == 2


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
    columns = "command, subject_id, reason, CAST(after AS TEXT), occurred_at, recorded_at"
    with container.engine.begin() as connection:
        one = connection.execute(text(f"SELECT {columns} FROM events WHERE seq = 1")).one()  # noqa: S608
        four = connection.execute(text(f"SELECT {columns} FROM events WHERE seq = 4")).one()  # noqa: S608
        for seq, row in ((1, four), (4, one)):
            connection.execute(
                text(
                    "UPDATE events SET command = :c, subject_id = :s, reason = :r, after = :a, "
                    "occurred_at = :o, recorded_at = :t WHERE seq = :seq"
                ),
                {"c": row[0], "s": row[1], "r": row[2], "a": row[3], "o": row[4], "t": row[5]}
                | {"seq": seq},
            )
    finding = run_verify(container, key).finding
    assert finding is not None and (finding.seq, finding.event_id) == (1, event_id_at(container, 1))


def forge(container: Container, seq: int) -> int:
    """Insert a well-formed event at seq, with a correct leaf hash, as an attacker could."""
    now = utcnow()
    event = Event("ForgedCommand", "case", "1", now, now, "mallory", states=["US"])
    values = {
        "command": event.command, "subject_type": event.subject_type,
        "subject_id": event.subject_id, "occurred_at": now, "recorded_at": now,
        "actor": event.actor, "before": "null", "after": "null", "reason": "",
        "legal_basis": "", "states": canonical_json(event.states), "seq": seq,
        "leaf_hash": event_leaf_hash(event, seq),
    }  # fmt: skip
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    with container.engine.begin() as connection:
        connection.execute(text(f"INSERT INTO events ({columns}) VALUES ({placeholders})"), values)  # noqa: S608
        return int(connection.scalar(text("SELECT id FROM events WHERE seq = :s"), {"s": seq}))


def test_a_forged_event_inserted_in_the_middle_is_named(
    container: Container, key: SigningKey
) -> None:
    record(container, 6)
    # Make room at seq 2 the way an attacker must: move every later event up by one.
    sql(container, "UPDATE events SET seq = -seq - 1 WHERE seq >= 2")
    sql(container, "UPDATE events SET seq = -seq WHERE seq < 0")
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
    monkeypatch.setattr(audit, "PARALLEL_FROM", 1)
    monkeypatch.setattr(audit, "chunk_size_for", lambda size, workers: 8)


def run_verify_in_workers(container: Container, key: SigningKey) -> VerifyReport:
    with container.uow() as uow:
        return audit.verify(uow, container.settings.database_url, key.public_key, workers=2)


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
        ("UPDATE events SET reason = 'nothing happened' WHERE seq = 19", 19),
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
