"""The law data loads, validates and carries a citation on every rule and dated value."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from repatria.law import AUTHORITY_IDS
from repatria.law.catalog import DATA_DIR, authorities_in_force, load_catalog, load_catalog_from
from repatria.law.errors import LawDataError


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    for folder in ("authorities", "shared"):
        shutil.copytree(DATA_DIR / folder, tmp_path / folder)
    return tmp_path


def test_every_public_authority_id_has_data() -> None:
    assert set(load_catalog().authorities) == set(AUTHORITY_IDS)


def test_every_rule_carries_a_citation_and_a_source() -> None:
    for owner, rule in load_catalog().all_rules():
        assert rule.citation.title.strip(), f"{owner.id}/{rule.id}"
        assert rule.source.strip(), f"{owner.id}/{rule.id}"


def test_every_dated_value_and_party_carries_its_source() -> None:
    catalog = load_catalog()
    for owner in [*catalog.authorities.values(), *catalog.rule_sets.values()]:
        for parameter in owner.parameters.values():
            for entry in parameter.values:
                assert entry.citation.title.strip() and entry.source.strip()
    for authority in catalog.authorities.values():
        assert all(party.source.strip() for party in authority.parties)


def test_the_digest_is_a_stable_sha256_of_the_data(data_copy: Path) -> None:
    digest = load_catalog_from(data_copy).digest
    assert len(digest) == 64 and digest == load_catalog().digest
    path = data_copy / "authorities" / "us-mx-1976.yaml"
    path.write_text(path.read_text().replace("value: 5\n", "value: 6\n", 1))
    assert load_catalog_from(data_copy).digest != digest


def test_a_duplicate_key_is_refused_naming_file_and_key(data_copy: Path) -> None:
    path = data_copy / "authorities" / "us-removal.yaml"
    path.write_text(path.read_text() + "kind: removal\n")
    with pytest.raises(LawDataError) as raised:
        load_catalog_from(data_copy)
    assert "us-removal.yaml" in str(raised.value) and "duplicate key 'kind'" in str(raised.value)


def test_an_unknown_key_is_refused_naming_file_and_key(data_copy: Path) -> None:
    path = data_copy / "shared" / "us-statute.yaml"
    path.write_text(
        path.read_text().replace(
            "    when: us_outbound\n", "    when: us_outbound\n    severity: high\n"
        )
    )
    with pytest.raises(LawDataError) as raised:
        load_catalog_from(data_copy)
    assert "us-statute.yaml" in str(raised.value) and "unknown key 'severity'" in str(raised.value)


def test_a_refusal_names_the_line_of_the_bad_key(data_copy: Path) -> None:
    path = data_copy / "authorities" / "us-removal.yaml"
    text = path.read_text().replace(
        "check: destination-designated", "check: destination-designated\n    chek: typo"
    )
    path.write_text(text)
    line = text.splitlines().index(next(x for x in text.splitlines() if "chek:" in x)) + 1
    with pytest.raises(LawDataError) as raised:
        load_catalog_from(data_copy)
    assert raised.value.line == line
    assert str(raised.value).startswith(f"authorities/us-removal.yaml, line {line}: ")


def test_a_rule_naming_an_unknown_check_is_refused(data_copy: Path) -> None:
    path = data_copy / "authorities" / "us-removal.yaml"
    path.write_text(path.read_text().replace("check: destination-designated", "check: vibes"))
    with pytest.raises(LawDataError, match="unknown check 'vibes'"):
        load_catalog_from(data_copy)


def test_a_parameter_of_the_wrong_kind_is_refused(data_copy: Path) -> None:
    path = data_copy / "authorities" / "us-mx-1976.yaml"
    path.write_text(path.read_text().replace("value: 5\n", "value: five\n", 1))
    with pytest.raises(LawDataError, match="domicile_minimum_years"):
        load_catalog_from(data_copy)


def test_a_ground_outside_the_closed_list_is_refused(data_copy: Path) -> None:
    path = data_copy / "authorities" / "us-removal.yaml"
    path.write_text(path.read_text().replace("ground: REMOVAL_ORDER", "ground: PAPERWORK", 1))
    with pytest.raises(LawDataError, match=r"us-removal\.yaml"):
        load_catalog_from(data_copy)


def test_values_must_be_dated_in_ascending_order(data_copy: Path) -> None:
    path = data_copy / "authorities" / "aea-1798.yaml"
    path.write_text(
        path.read_text().replace("from: 2025-03-14, value: [VE]", "from: 1700-01-01, value: [VE]")
    )
    with pytest.raises(LawDataError, match="ascending"):
        load_catalog_from(data_copy)


def test_authorities_in_force_between_the_us_and_mexico_in_2025() -> None:
    found = authorities_in_force("US", "MX", date(2025, 4, 11))
    assert {"us-mx-1976", "coe-ets-112", "inter-american-1993"} <= set(found)
    assert "coe-ets-167" not in found and "eu-fd-2008-909" not in found


def test_authorities_in_force_follow_the_dates() -> None:
    assert "coe-ets-112" not in authorities_in_force("US", "MX", date(2007, 10, 31))
    assert "us-mx-1976" not in authorities_in_force("US", "MX", date(1977, 11, 29))
    assert authorities_in_force("US", "US", date(2025, 1, 1)) == []


def test_custody_is_in_force_only_towards_the_host() -> None:
    assert "custody-agreement" in authorities_in_force("US", "SV", date(2025, 4, 1))
    assert "custody-agreement" not in authorities_in_force("US", "GT", date(2025, 4, 1))


def test_the_conventions_keep_the_same_judgments_the_framework_decision_leaves_to_them() -> None:
    # Art. 28(2) declarations live in the Framework Decision's data and, mirrored, in the
    # Conventions' `not-replaced` rule: the two must never drift apart.
    catalog = load_catalog()
    declared = catalog.authorities["eu-fd-2008-909"].parameters["judgment_cutoffs"].values
    for convention in ("coe-ets-112", "coe-ets-167"):
        kept = catalog.authorities[convention].parameters["kept_for_judgments_before"].values
        on_or_after = [v for v in kept if v.from_ >= declared[0].from_]
        assert [(v.from_, v.value) for v in on_or_after] == [(v.from_, v.value) for v in declared]
