"""`repatria law` and `repatria assess` at the command line: output and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from repatria.entrypoints.cli.law import assess_file_command, law_app

runner = CliRunner()
LAW_TESTS = Path(__file__).parents[2] / "law"
EXAMPLE = LAW_TESTS / "example.json"
assess_app = typer.Typer()
assess_app.command()(assess_file_command)


def test_assess_prints_one_json_verdict_and_exits_zero() -> None:
    result = runner.invoke(assess_app, [str(EXAMPLE)])
    assert result.exit_code == 0  # a refusal is a verdict too
    verdict = json.loads(result.stdout)
    assert verdict["allowed"] is False
    assert [c["rule"] for c in verdict["checks"] if c["outcome"] != "pass"] == [
        "transfer-safeguards/no-hold"
    ]


def test_assess_reads_the_document_from_standard_input_given_a_dash() -> None:
    result = runner.invoke(assess_app, ["-"], input=EXAMPLE.read_text())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["authority"] == "us-mx-1976"


def test_assess_exits_two_naming_the_field_of_an_invalid_document(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"authority": "us-mx-1976", "from": "US", "to": "mx", "as_of": "2025-01-01"})
    )
    result = runner.invoke(assess_app, [str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: to: ")


def test_assess_exits_two_for_text_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    result = runner.invoke(assess_app, [str(path)])
    assert result.exit_code == 2 and "error: document:" in result.stderr


def test_assess_exits_two_for_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(assess_app, [str(tmp_path / "absent.json")])
    assert result.exit_code == 2 and "error: document:" in result.stderr


def test_law_check_passes_and_prints_the_digest() -> None:
    result = runner.invoke(law_app, ["check"])
    assert result.exit_code == 0 and "digest" in result.stdout


def test_law_show_lists_rules_with_citations() -> None:
    result = runner.invoke(law_app, ["show", "us-mx-1976"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "us-mx-1976/domicile" in result.stdout and "Art. II(3)" in result.stdout


def test_law_show_refuses_an_unknown_authority() -> None:
    assert runner.invoke(law_app, ["show", "nope"]).exit_code == 2


def test_law_test_runs_the_scenarios() -> None:
    result = runner.invoke(law_app, ["test", str(LAW_TESTS / "scenarios")])
    assert result.exit_code == 0 and "0 failed" in result.stdout


def test_law_test_exits_one_on_a_failing_scenario(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        "- name: wrong on purpose\n"
        "  input: {authority: us-mx-1976, from: US, to: MX, as_of: '2025-01-01'}\n"
        "  expect: {allowed: true}\n"
    )
    result = runner.invoke(law_app, ["test", str(tmp_path)])
    assert result.exit_code == 1 and "FAIL" in result.stdout


def test_assess_gives_the_reasons_in_spanish_with_language_es() -> None:
    from repatria.entrypoints.cli.main import app

    english = json.loads(runner.invoke(app, ["assess", str(EXAMPLE)]).stdout)
    spanish = runner.invoke(app, ["assess", str(EXAMPLE), "--language", "es"])
    assert spanish.exit_code == 0
    said = json.loads(spanish.stdout)
    # The same verdict, check by check; only the reasons change language.
    assert [(c["rule"], c["outcome"], c["citation"]) for c in said["checks"]] == [
        (c["rule"], c["outcome"], c["citation"]) for c in english["checks"]
    ]
    held = next(c for c in said["checks"] if c["outcome"] != "pass")
    assert held["reason"] != next(c for c in english["checks"] if c["outcome"] != "pass")["reason"]
    assert "orden" in held["reason"] or "suspend" in held["reason"], held["reason"]


def test_assess_takes_its_language_from_repatria_language_and_refuses_another() -> None:
    from repatria.entrypoints.cli.main import app

    by_setting = runner.invoke(app, ["assess", str(EXAMPLE)], env={"REPATRIA_LANGUAGE": "es-MX"})
    by_option = runner.invoke(app, ["assess", str(EXAMPLE), "--language", "es"])
    assert by_setting.stdout == by_option.stdout
    refused = runner.invoke(app, ["assess", str(EXAMPLE), "--language", "fr"])
    assert refused.exit_code == 2 and "--language: 'fr' is not one of en, es" in refused.stderr


def test_law_show_gives_the_spanish_title_and_says_whether_it_is_official() -> None:
    result = runner.invoke(law_app, ["show", "inter-american-1993", "--language", "es"])
    assert result.exit_code == 0
    assert "En español: Convención Interamericana" in result.stdout
    assert "(título oficial" in result.stdout or "no es el título oficial" in result.stdout
