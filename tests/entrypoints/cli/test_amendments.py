"""`repatria law propose / approve / reject / history / impact` and `assess --as-known-on`."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result

from repatria.services import clock
from repatria.services.assessments import EXAMPLE
from tests.amendment_texts import TEN_YEARS
from tests.entrypoints.cli.test_transitions import Run

TODAY = clock.today()


@pytest.fixture
def database_content() -> str:
    return "demo"


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def _proposed(repatria: Run, tmp_path: Path) -> str:
    """Propose the ten-year overlay; the new amendment's id (the demo has one already)."""
    said = _ok(_propose(repatria, tmp_path))
    found = re.search(r"proposed amendment (\d+)", said)
    assert found, said
    return found.group(1)


def _propose(repatria: Run, tmp_path: Path, text: str = TEN_YEARS) -> Result:
    overlay = tmp_path / "ten-years.yaml"
    overlay.write_text(text, encoding="utf-8")
    return repatria(
        "law", "propose", str(overlay), "--title", "Ten years", "--as", "us-legal-officer"
    )


def test_a_bad_overlay_is_refused_naming_the_file_line_and_reason(
    repatria: Run, tmp_path: Path
) -> None:
    result = _propose(repatria, tmp_path, TEN_YEARS.replace("value: 120", "valeu: 120"))
    assert result.exit_code == 2
    assert "ten-years.yaml, line 5" in result.stderr and "value: Field required" in result.stderr


def test_history_names_who_proposed_and_who_approved(repatria: Run, tmp_path: Path) -> None:
    number = _proposed(repatria, tmp_path)
    refused = repatria("law", "approve", number, "--as", "us-legal-officer")
    assert refused.exit_code == 1 and "four eyes" in refused.stderr
    later = (TODAY + timedelta(days=2)).isoformat()
    _ok(repatria("law", "approve", number, "--as", "us-admin", "--effective-on", later))
    history = _ok(repatria("law", "history"))
    for expected in ("Ten years", "us-legal-officer", "us-admin", "approved", later):
        assert expected in history


def test_impact_lists_the_open_cases_it_refuses(repatria: Run, tmp_path: Path) -> None:
    number = _proposed(repatria, tmp_path)
    lines = _ok(repatria("law", "impact", number, "--json")).splitlines()
    changes = [json.loads(line) for line in lines]
    assert changes and not any(c["allowed_after"] for c in changes)
    assert any(c["allowed_before"] for c in changes)
    assert all("REMAINING_SENTENCE" in c["grounds_after"] for c in changes)
    assert all("us-mx-1976/remaining-sentence" in c["rules"] for c in changes)


def test_assess_as_known_on_leaves_out_an_amendment_not_yet_in_effect(
    repatria: Run, tmp_path: Path
) -> None:
    number = _proposed(repatria, tmp_path)
    _ok(repatria("law", "approve", number, "--as", "us-admin"))
    document = tmp_path / "example.json"
    document.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    before = json.loads(
        _ok(repatria("assess", str(document), "--as-known-on", str(TODAY - timedelta(days=1))))
    )
    now = json.loads(_ok(repatria("assess", str(document), "--as-known-on", TODAY.isoformat())))
    assert before["allowed"] is True and now["allowed"] is False
    assert before["as_known_on"] == (TODAY - timedelta(days=1)).isoformat()
    assert before["law_digest"] != now["law_digest"]


def test_as_known_on_must_be_a_date(repatria: Run, tmp_path: Path) -> None:
    document = tmp_path / "example.json"
    document.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    result = repatria("assess", str(document), "--as-known-on", "yesterday")
    assert result.exit_code == 2 and "as_known_on" in result.stderr


def _approved_ten_years(repatria: Run, tmp_path: Path) -> None:
    number = _proposed(repatria, tmp_path)
    _ok(repatria("law", "approve", number, "--as", "us-admin"))


def test_assess_reads_the_approved_amendments_only_when_asked(
    repatria: Run, tmp_path: Path
) -> None:
    _approved_ten_years(repatria, tmp_path)
    document = tmp_path / "example.json"
    document.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    shipped = json.loads(_ok(repatria("assess", str(document))))
    in_force = json.loads(_ok(repatria("assess", str(document), "--with-approved-amendments")))
    assert shipped["allowed"] is True and "law_digest" not in shipped
    assert in_force["allowed"] is False and in_force["law_digest"]
    failing = {c["rule"] for c in in_force["checks"] if c["outcome"] == "fail"}
    assert "us-mx-1976/remaining-sentence" in failing


def test_screen_reads_the_approved_amendments_only_when_asked(
    repatria: Run, tmp_path: Path
) -> None:
    _approved_ten_years(repatria, tmp_path)
    roster = tmp_path / "roster.jsonl"
    roster.write_text(json.dumps(EXAMPLE) + "\n", encoding="utf-8")
    found = {}
    for name, extra in (("shipped", []), ("in force", ["--with-approved-amendments"])):
        out = tmp_path / f"{name}.jsonl"
        _ok(repatria("screen", str(roster), "--out", str(out), *extra))
        [found[name]] = [json.loads(line) for line in out.read_text().splitlines()]
    assert found["shipped"]["allowed"] is True
    assert found["in force"]["allowed"] is False
    assert found["in force"]["grounds"] == "REMAINING_SENTENCE"


def test_law_show_lists_an_approved_value_only_when_asked(
    repatria: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # the tables' cells whole
    _approved_ten_years(repatria, tmp_path)
    shipped = _ok(repatria("law", "show", "us-mx-1976"))
    in_force = _ok(repatria("law", "show", "us-mx-1976", "--with-approved-amendments"))
    assert "ten-year minimum" not in shipped.lower()
    assert "(local)" in in_force and "ten-year minimum" in in_force.lower()


def test_the_help_says_which_law_is_read(repatria: Run) -> None:
    for command in (["assess"], ["screen"], ["law", "show"]):
        said = " ".join(_ok(repatria(*command, "--help")).split())
        assert "REPATRIA_LAW_DIR" in said and "--with-approved-amendments" in said
