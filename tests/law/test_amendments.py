"""Local amendments (REPATRIA_LAW_DIR): an installation adds parties, dated values and
authorities over the shipped law, validated as the shipped law is, never changing an entry."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

import repatria.bootstrap  # noqa: F401 - the composition root names the local directory
from repatria.entrypoints.cli.law import law_app
from repatria.law.catalog import DATA_DIR, load_catalog, load_catalog_from
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.law.errors import LawDataError
from repatria.law.files import read_law_files
from repatria.screening import screen
from repatria.screening.roster import Fill, read_roster
from repatria.settings import get_settings
from tests.amendment_texts import COLOMBIA_ACCEDES

EXAMPLE = Path(__file__).parent / "example.json"
THREE_MONTHS_FROM_MARCH = """\
amends: coe-ets-112
parameters:
  minimum_months_remaining:
    values:
      - from: 2026-03-01
        value: 3
        citation: {title: "Amending Protocol (local)", article: "Art. 2"}
        verified: true
        source: the amending protocol as published (read for this test)
"""


@pytest.fixture
def local_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty local law directory named by REPATRIA_LAW_DIR, as an installation sets it."""
    local = tmp_path / "law"
    (local / "authorities").mkdir(parents=True)
    (local / "shared").mkdir()
    monkeypatch.setenv("REPATRIA_LAW_DIR", str(local))
    get_settings.cache_clear()
    yield local
    get_settings.cache_clear()


def _write(local: Path, name: str, text: str) -> Path:
    path = local / name
    path.write_text(text, encoding="utf-8")
    return path


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EXAMPLE.read_text())
    document.update(changes)
    return document


def _check(document: dict[str, Any], rule: str) -> dict[str, Any]:
    checks = assess(parse_document(document)).to_json()["checks"]
    return next(check for check in checks if check["rule"] == rule)


def _to_colombia(as_of: str) -> dict[str, Any]:
    person = {**_document()["person"], "citizenships": ["CO"]}
    return _document(authority="coe-ets-112", to="CO", as_of=as_of, person=person)


def _four_months_left(as_of: str) -> dict[str, Any]:
    # Requested 15 Jan 2026, released 15 May 2026: four months left at the request.
    sentence = {
        **_document()["sentence"],
        "start_date": "2025-01-15",
        "length_days": (date(2026, 5, 15) - date(2025, 1, 15)).days,
    }
    return _document(
        authority="coe-ets-112", as_of=as_of, request_received_on="2026-01-15", sentence=sentence
    )


def _installed(local: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str) -> Path:
    """Another local directory holding one file, named by REPATRIA_LAW_DIR from now on (the
    law is loaded once per directory, as a server loads it once when it starts)."""
    (local / "authorities").mkdir(parents=True)
    (local / "shared").mkdir()
    _write(local, name, text)
    monkeypatch.setenv("REPATRIA_LAW_DIR", str(local))
    get_settings.cache_clear()
    return local


def test_a_local_accession_makes_the_convention_bind_citing_the_local_entry(
    local_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _check(_to_colombia("2025-06-01"), "coe-ets-112/in-force")
    assert before["outcome"] == "fail"  # Colombia was checked and found not a party
    _installed(tmp_path / "amended", monkeypatch, "authorities/coe-ets-112.yaml", COLOMBIA_ACCEDES)
    after = _check(_to_colombia("2025-06-01"), "coe-ets-112/in-force")
    assert after["outcome"] == "pass"
    assert "CO since 2025-01-01 (Ley 2999 de 2024, Art. 1)" in after["reason"]


def test_a_local_accession_does_not_reach_back_before_its_date(local_dir: Path) -> None:
    _write(local_dir, "authorities/coe-ets-112.yaml", COLOMBIA_ACCEDES)
    check = _check(_to_colombia("2024-12-31"), "coe-ets-112/in-force")
    assert check["outcome"] == "fail"
    assert "only from 2025-01-01" in check["reason"]


def test_a_local_dated_value_takes_effect_from_its_date_and_not_before(local_dir: Path) -> None:
    _write(local_dir, "authorities/coe-ets-112.yaml", THREE_MONTHS_FROM_MARCH)
    before = _check(_four_months_left("2026-02-28"), "coe-ets-112/remaining-sentence")
    assert before["outcome"] == "fail" and "the minimum is 6 months" in before["reason"]
    on = _check(_four_months_left("2026-03-01"), "coe-ets-112/remaining-sentence")
    assert on["outcome"] == "pass" and "the minimum is 3 months" in on["reason"]
    assert "from 2026-03-01 (Amending Protocol (local), Art. 2)" in on["citation"]


def test_a_local_custody_arrangement_is_in_force_from_its_date(
    local_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document(authority="custody-agreement", to="GT", as_of="2025-04-01")
    assert _check(document, "custody-agreement/arrangement")["outcome"] == "fail"
    arrangement = """\
amends: custody-agreement
agreements:
  - sending: US
    host: GT
    from: 2025-03-01
    citation: {title: "US-Guatemala arrangement (local)"}
    verified: true
    source: the arrangement as published (read for this test)
"""
    _installed(tmp_path / "amended", monkeypatch, "authorities/custody-agreement.yaml", arrangement)
    check = _check(document, "custody-agreement/arrangement")
    assert check["outcome"] == "pass" and "US→GT in force since 2025-03-01" in check["reason"]


def test_a_shared_rule_set_takes_dated_values_but_no_parties(local_dir: Path) -> None:
    _write(
        local_dir,
        "shared/us-statute.yaml",
        THREE_MONTHS_FROM_MARCH.replace("amends: coe-ets-112", "amends: us-statute"),
    )
    values = load_catalog_from(DATA_DIR, local_dir).rule_sets["us-statute"].parameters
    assert [v.value for v in values["minimum_months_remaining"].values] == [6, 3]
    _write(
        local_dir, "shared/us-statute.yaml", COLOMBIA_ACCEDES.replace("coe-ets-112", "us-statute")
    )
    with pytest.raises(LawDataError, match="us-statute is a shared rule set, which has no parties"):
        load_catalog_from(DATA_DIR, local_dir)


def test_rewriting_a_shipped_dated_value_is_refused_naming_file_key_and_date(
    local_dir: Path,
) -> None:
    path = _write(
        local_dir,
        "authorities/coe-ets-112.yaml",
        THREE_MONTHS_FROM_MARCH.replace("2026-03-01", "1985-07-01"),
    )
    with pytest.raises(LawDataError) as raised:
        load_catalog_from(DATA_DIR, local_dir)
    message = str(raised.value)
    assert message.startswith(f"{path}, line 5: ")
    assert "minimum_months_remaining" in message and "from 1985-07-01 = 6" in message
    assert "never change or remove one" in message


def test_restating_a_shipped_entry_unchanged_changes_nothing(local_dir: Path) -> None:
    shipped = load_catalog_from(DATA_DIR).authorities["coe-ets-112"]
    france = next(party for party in shipped.parties if party.state == "FR")
    _write(
        local_dir,
        "authorities/coe-ets-112.yaml",
        COLOMBIA_ACCEDES
        + f"  - {{state: FR, from: {france.from_}, verified: true, source: restated,"
        " citation: {title: ETS No. 112}}\n",
    )
    layered = load_catalog_from(DATA_DIR, local_dir).authorities["coe-ets-112"]
    assert len(layered.parties) == len(shipped.parties) + 1  # Colombia only


def test_a_party_entry_that_would_change_a_shipped_one_is_refused(local_dir: Path) -> None:
    _write(
        local_dir,
        "authorities/coe-ets-112.yaml",
        COLOMBIA_ACCEDES.replace(
            "state: CO\n    from: 2025-01-01", "state: FR\n    from: 1985-07-01"
        ).replace("verified: true\n", "verified: true\n    until: 2020-01-01\n", 1),
    )
    with pytest.raises(LawDataError, match=r"line 3: coe-ets-112 already has the entry FR from"):
        load_catalog_from(DATA_DIR, local_dir)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (
            COLOMBIA_ACCEDES.replace(
                '    citation: {title: "Ley 2999 de 2024", article: "Art. 1"}\n', ""
            ),
            "parties.0.citation: Field required",
        ),
        (
            THREE_MONTHS_FROM_MARCH.replace("value: 3", "value: 3\n        valeu: 3"),
            "unknown key 'valeu'",
        ),
        (THREE_MONTHS_FROM_MARCH.replace("value: 3", "value: three"), "does not suit 'months'"),
        (COLOMBIA_ACCEDES.replace("state: CO", "state: Colombia"), "parties.0.state"),
        (
            THREE_MONTHS_FROM_MARCH.replace("minimum_months", "maximum_months"),
            "coe-ets-112 has no parameter 'maximum_months_remaining'",
        ),
        (
            COLOMBIA_ACCEDES.replace("amends: coe-ets-112", "amends: coe-ets-113"),
            "amends 'coe-ets-113' does not match the file name",
        ),
        ("amends: coe-ets-112\n", "adds nothing"),
        ("amends: coe-ets-112\nparties: [\n", "line 3"),
    ],
)
def test_a_malformed_local_file_is_refused_naming_the_file_and_the_field(
    local_dir: Path, text: str, field: str
) -> None:
    path = _write(local_dir, "authorities/coe-ets-112.yaml", text)
    with pytest.raises(LawDataError) as raised:
        load_catalog_from(DATA_DIR, local_dir)
    assert str(raised.value).startswith(str(path)) and field in str(raised.value)


def test_a_local_file_may_not_replace_a_shipped_authority(local_dir: Path) -> None:
    shipped = (DATA_DIR / "authorities" / "us-removal.yaml").read_text()
    _write(local_dir, "authorities/us-removal.yaml", shipped)
    with pytest.raises(LawDataError, match="write `amends: us-removal`"):
        load_catalog_from(DATA_DIR, local_dir)


def test_a_local_file_outside_the_law_folders_is_refused(local_dir: Path) -> None:
    _write(local_dir, "coe-ets-112.yaml", COLOMBIA_ACCEDES)
    with pytest.raises(LawDataError, match="belongs in authorities/ or shared/"):
        load_catalog_from(DATA_DIR, local_dir)


def test_a_local_directory_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LawDataError, match="does not exist"):
        load_catalog_from(DATA_DIR, tmp_path / "absent")


def test_a_local_authority_is_added_and_assessed_as_a_shipped_one(local_dir: Path) -> None:
    shipped = (DATA_DIR / "authorities" / "us-removal.yaml").read_text()
    _write(
        local_dir,
        "authorities/us-removal-local.yaml",
        re.sub(r"^id: us-removal$", "id: us-removal-local", shipped, flags=re.MULTILINE),
    )
    catalog = load_catalog()
    # Named as in the digest: pages show it, and where the directory is does not matter.
    assert catalog.files["us-removal-local"] == "local/authorities/us-removal-local.yaml"
    verdict = assess(parse_document(_document(authority="us-removal-local", to="VE")))
    assert {check.rule.split("/")[0] for check in verdict.checks} >= {"us-removal-local"}


def test_the_digest_is_the_shipped_one_without_local_files_and_another_with_them(
    local_dir: Path,
) -> None:
    # The digest stored assessments carry: SHA-256 over the shipped files' canonical JSON.
    shipped = [[file.name, file.raw] for file in read_law_files(DATA_DIR)]
    text = json.dumps(shipped, sort_keys=True, default=str, separators=(",", ":"))
    stored = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert load_catalog_from(DATA_DIR).digest == stored
    assert load_catalog_from(DATA_DIR, local_dir).digest == stored  # an empty directory
    _write(local_dir, "authorities/coe-ets-112.yaml", COLOMBIA_ACCEDES)
    amended = load_catalog_from(DATA_DIR, local_dir).digest
    assert amended != stored
    assert load_catalog_from(DATA_DIR, local_dir).digest == amended  # deterministic


def test_the_law_loaded_follows_the_setting(
    local_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(local_dir, "authorities/coe-ets-112.yaml", COLOMBIA_ACCEDES)
    amended = load_catalog()
    assert amended.local and amended is load_catalog()  # loaded once per directory
    monkeypatch.delenv("REPATRIA_LAW_DIR")
    get_settings.cache_clear()
    assert not load_catalog().local and load_catalog().digest != amended.digest


def test_screening_sees_the_local_amendments(
    local_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = tmp_path / "roster.jsonl"
    roster.write_text(json.dumps(_to_colombia("2025-06-01")) + "\n")

    def grounds() -> str:
        results = screen(read_roster(roster, Fill()))
        return str(results.filter(pl.col("authority") == "coe-ets-112")["grounds"][0])

    assert "AUTHORITY" in grounds()  # under the empty local directory
    _installed(tmp_path / "amended", monkeypatch, "authorities/coe-ets-112.yaml", COLOMBIA_ACCEDES)
    assert "AUTHORITY" not in grounds()


runner = CliRunner()


def test_law_check_lists_the_local_files_and_passes(local_dir: Path) -> None:
    path = _write(local_dir, "authorities/coe-ets-112.yaml", COLOMBIA_ACCEDES)
    result = runner.invoke(law_app, ["check"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.stderr
    assert str(path) in result.stdout and "amends coe-ets-112: 1 party" in result.stdout
    assert f"digest {load_catalog().digest}" in result.stdout


def test_law_check_fails_on_a_local_file_that_rewrites_history(local_dir: Path) -> None:
    path = _write(
        local_dir,
        "authorities/coe-ets-112.yaml",
        THREE_MONTHS_FROM_MARCH.replace("2026-03-01", "1985-07-01"),
    )
    result = runner.invoke(law_app, ["check"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}, line 5:")


def test_law_show_marks_the_entries_added_locally(local_dir: Path) -> None:
    _write(local_dir, "authorities/coe-ets-112.yaml", COLOMBIA_ACCEDES)
    result = runner.invoke(law_app, ["show", "coe-ets-112"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    colombia = [line for line in result.stdout.splitlines() if "2025-01-01" in line]
    assert colombia and "(local)" in colombia[0]
