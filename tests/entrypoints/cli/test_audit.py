"""`repatria audit`: verify exits 0 or 1 naming the event; proof prints a checkable proof."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from repatria.bootstrap import Container
from repatria.domain import merkle
from repatria.domain.accounts import Principal
from repatria.domain.audit import canonical_json
from repatria.entrypoints.cli.audit import audit_app
from repatria.services import audit_keys
from repatria.settings import get_settings

# The record's hashes are read back by SQL that differs by database.
pytestmark = pytest.mark.storage


@pytest.fixture
def run(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.chdir(tmp_path)  # a generated development key lands in tmp_path/data/
    get_settings.cache_clear()
    with container.uow() as uow:
        for number in range(7):
            uow.record(Principal.system("test"), "OpenCase", "case", number, states=["US"])
        uow.commit()

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(audit_app, list(args))

    return invoke


def checkpoint_rows(container: Container) -> list[tuple[object, ...]]:
    with container.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text("SELECT * FROM audit_checkpoints"))]


def test_verify_of_an_intact_record_exits_0_and_signs_nothing(
    run: object, container: Container
) -> None:
    result = run("verify")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert "intact: 7 events" in result.stdout and "signed" not in result.output
    assert checkpoint_rows(container) == []
    assert not witness_of(container).exists()


def witness_of(container: Container) -> Path:
    return audit_keys.witness_path(container.settings)


def test_checkpoint_signs_and_appends_exactly_one_line_to_the_witness(
    run: object, container: Container
) -> None:
    result = run("checkpoint")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    lines = witness_of(container).read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0]) == json.loads(result.stdout)
    assert run("checkpoint").exit_code == 0  # type: ignore[operator]
    assert witness_of(container).read_text().splitlines() == lines  # nothing new to sign


def test_verify_catches_a_consistent_rewrite_from_the_witness_and_changes_nothing(
    run: object, container: Container
) -> None:
    assert run("checkpoint").exit_code == 0  # type: ignore[operator]
    with container.engine.begin() as connection:  # event seq 2 rewritten, hashed again
        body = connection.scalar(text("SELECT body FROM events WHERE seq = 2"))
        forged = canonical_json(json.loads(body) | {"reason": "nothing happened"})
        connection.execute(
            text("UPDATE events SET body = :b, leaf_hash = :h WHERE seq = 2"),
            {"b": forged, "h": merkle.leaf_hash(forged.encode())},
        )
        leaves = connection.scalars(text("SELECT leaf_hash FROM events ORDER BY seq")).all()
        frontier = merkle.Frontier()
        for leaf in leaves:
            frontier.append(bytes(leaf))
        connection.execute(
            text("UPDATE audit_log_head SET root_hash = :r, frontier = :f"),
            {"r": frontier.root(), "f": frontier.to_bytes()},
        )
        connection.execute(text("DELETE FROM audit_checkpoints"))
    witnessed = witness_of(container).read_bytes()
    result = run("verify")  # type: ignore[operator]
    assert result.exit_code == 1
    message = result.stderr.replace("\n", " ")
    assert "witnessed checkpoint of size 7 does not match the events" in message
    assert witness_of(container).read_bytes() == witnessed and checkpoint_rows(container) == []
    refused = run("checkpoint")  # type: ignore[operator]
    assert refused.exit_code == 1 and "not signing" in refused.stderr
    assert witness_of(container).read_bytes() == witnessed and checkpoint_rows(container) == []


def test_verify_catches_a_truncated_log(run: object, container: Container) -> None:
    assert run("checkpoint").exit_code == 0  # type: ignore[operator]
    with container.engine.begin() as connection:
        connection.execute(text("DELETE FROM events WHERE seq >= 5"))
        connection.execute(text("DELETE FROM audit_checkpoints"))
        connection.execute(text("UPDATE audit_log_head SET size = 5"))
    result = run("verify")  # type: ignore[operator]
    assert result.exit_code == 1
    assert "larger than the log of 5 events" in result.stderr.replace("\n", " ")


def test_public_key_is_read_from_the_public_key_file(run: object, container: Container) -> None:
    missing = run("public-key")  # type: ignore[operator]
    assert missing.exit_code == 1 and "audit checkpoint" in missing.stderr.replace("\n", " ")
    checkpoint = json.loads(run("checkpoint").stdout)  # type: ignore[operator]
    key = audit_keys.default_key_path(container.settings)
    key.rename(key.with_name("kept-elsewhere.pem"))  # only `checkpoint` needs the private key
    printed = run("public-key")  # type: ignore[operator]
    assert printed.exit_code == 0 and printed.stdout.strip() == checkpoint["public_key"]
    assert run("verify").exit_code == 0  # type: ignore[operator]
    assert run("proof", "2").exit_code == 0  # type: ignore[operator]
    assert not key.exists()  # and nothing generated a new one


def test_verify_of_an_altered_record_exits_1_naming_the_event(
    run: object, container: Container
) -> None:
    with container.engine.begin() as connection:
        connection.execute(
            text(
                'UPDATE events SET body = replace(body, \'"reason":"\', \'"reason":"x\') '
                "WHERE seq = 4"
            )
        )
    result = run("verify")  # type: ignore[operator]
    assert result.exit_code == 1
    assert "seq 4 (event id 5)" in result.stderr.replace("\n", " ")


def test_proof_prints_an_inclusion_proof_an_outsider_can_check(run: object) -> None:
    assert run("checkpoint").exit_code == 0  # type: ignore[operator]
    result = run("proof", "3")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert merkle.verify_inclusion_document(json.loads(result.stdout))


def test_proof_of_an_unknown_event_is_refused(run: object) -> None:
    run("checkpoint")  # type: ignore[operator]
    result = run("proof", "999")  # type: ignore[operator]
    assert result.exit_code == 1 and "not found" in result.stderr
