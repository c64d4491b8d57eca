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
from repatria.entrypoints.cli.audit import audit_app
from repatria.settings import get_settings


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


def test_verify_of_an_intact_record_exits_0_and_signs(run: object) -> None:
    result = run("verify")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert "intact: 7 events" in result.stdout and "signed a checkpoint" in result.stdout


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
