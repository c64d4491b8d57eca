"""An assessment's checks in plain words: code values as words, official sources first."""

from __future__ import annotations

from repatria.entrypoints.web.plain_words import Source, check_rows, code_to_words, ordered


def test_code_values_read_as_words() -> None:
    text = "excluded_offense_categories = ['political', 'immigration'], blocks = True"
    assert (
        code_to_words(text) == "excluded offense categories = political, immigration, blocks = yes"
    )
    assert code_to_words("a drug_trafficking offence") == "a drug trafficking offence"


def test_government_treaty_office_and_court_sites_are_official() -> None:
    assert Source("18 U.S.C. § 4100", "https://uscode.house.gov/view.xhtml").official
    assert Source("handbook", "https://ojp.gov./ncjrs/abstract").official
    assert Source("ETS 112", "https://www.coe.int/en/web/conventions").official
    assert not Source("copy", "https://fdocuments.net/document/x").official
    assert not Source("no link").official


def test_official_sources_come_first_and_each_once() -> None:
    copy = Source("copy", "https://nortontooby.com/node/1")
    statute = Source("statute", "https://www.justice.gov/jm/crm-732")
    assert ordered([copy, statute, copy]) == [statute, copy]


def test_a_check_row_carries_the_requirement_and_the_values_in_words() -> None:
    check = {
        "rule": "us-mx-1976/excluded-offences",
        "ground": "EXCLUDED_OFFENSE",
        "outcome": "pass",
        "reason": "a drug_trafficking offence is not excluded",
        "citation": "TIAS 8718, Art. II(4); excluded_offense_categories = ['political', "
        "'immigration', 'military'] from 1977-11-30 (TIAS 8718, Art. II(4) "
        "(https://nortontooby.com/node/15821))",
    }
    (row,) = check_rows({"checks": [check]})
    assert row.outcome_words == "met" and row.ground == "the kind of offence"
    assert row.requires.startswith("Not a political offence")
    assert row.reason == "a drug trafficking offence is not excluded"
    (value,) = row.values
    assert (value.name, value.value, value.since) == (
        "excluded offense categories",
        "political, immigration, military",
        "1977-11-30",
    )
    assert value.source.url == "https://nortontooby.com/node/15821"
