"""Invalid rows stop the run with the line, field and reason `repatria assess` would give."""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repatria.law.document import parse_document
from repatria.law.errors import InvalidDocument
from repatria.screening import screen
from repatria.screening.roster import Fill, RosterError, read_documents, read_roster
from tests.screening.documents import csv_cells, documents, near_favourable
from tests.screening.expected import expected_rows

EXAMPLE = json.loads((Path(__file__).parents[1] / "law" / "example.json").read_text())
Mutation = Callable[[dict[str, Any]], None]
AGREED = {
    "ground": "REMAINING_SENTENCE",
    "by": ["US", "MX"],
    "agreed_on": "2025-04-01",
    "reason": "humanitarian",
}


def _put(path: str, value: Any) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        *parents, leaf = path.split(".")
        target = document
        for key in parents:
            target = target.setdefault(key, {}) if isinstance(target, dict) else target[int(key)]
        if isinstance(target, list):
            target[int(leaf)] = value
        else:
            target[leaf] = value

    return mutate


def _drop(key: str) -> Mutation:
    return lambda document: document.pop(key, None)


MUTATIONS: dict[str, Mutation] = {
    "unknown top-level key": _put("nationality", "MX"),
    "unknown nested key": _put("person.nationality", "MX"),
    "misplaced known key": _put("person.final", True),
    "duplicate citizenship": _put("person.citizenships", ["MX", "MX"]),
    "null citizenship": _put("person.citizenships", ["MX", None]),
    "unassigned country": _put("to", "XX"),
    "lower-case country": _put("to", "mx"),
    "impossible date": _put("as_of", "2025-02-30"),
    "unpadded date": _put("as_of", "2025-4-11"),
    "week date (valid)": _put("as_of", "2025-W15-5"),
    "date for a time": _put("notice.served_at", "2025-03-14"),
    "time without seconds (valid)": _put("notice.served_at", "2025-03-14T09:00"),
    "time with offset (valid)": _put("departure_at", "2025-04-14T23:30:00-05:00"),
    "text for a whole number": _put("sentence.length_days", "3650"),
    "decimal for a whole number": _put("sentence.length_days", 3650.0),
    "zero-day sentence": _put("sentence.length_days", 0),
    "credit beyond the sentence": _put("sentence.credit_days", 4000),
    "negative years": _put("person.years_in_sending_state", -1),
    "boolean for years": _put("person.years_in_sending_state", True),
    "number for a boolean": _put("person.competent", 1),
    "text for a boolean": _put("sentence.final", "true"),
    "number for the authority": _put("authority", 5),
    "empty authority": _put("authority", ""),
    "number for a hold kind": _put("holds.0.kind", 7),
    "hold lifted before issued": _put("holds.0.lifted_on", "2025-03-01"),
    "protection order without country": _put("protection_orders.0.country", None),
    "null hold": _put("holds", [None]),
    "unknown offence": _put("sentence.offense_category", "theft"),
    "unknown verifier": _put("consent.verified_by", "clerk"),
    "object for a date": _put("as_of", {"year": 2025}),
    "list for an object": _put("person", ["MX"]),
    "missing from": _drop("from"),
    "missing as_of": _drop("as_of"),
    "escaped text (valid)": _put("holds.0.kind", 'court "order"'),
    "huge years (valid)": _put("person.years_in_sending_state", 10**30),
    "text for a list of countries": _put("person.citizenships", "MX"),
    "exception agreed by both states (valid)": _put("exceptions", [dict(AGREED)]),
    "exception on an unknown ground": _put("exceptions", [{**AGREED, "ground": "LEAVE"}]),
    "exception by an unassigned country": _put("exceptions", [{**AGREED, "by": ["US", "XX"]}]),
    "exception by a state twice": _put("exceptions", [{**AGREED, "by": ["US", "MX", "US"]}]),
    "exception by no state": _put("exceptions", [{**AGREED, "by": []}]),
    "text for the states of an exception": _put("exceptions", [{**AGREED, "by": "US"}]),
    "impossible exception date": _put("exceptions", [{**AGREED, "agreed_on": "2025-02-30"}]),
    "exception without a date": _put("exceptions", [{"ground": "CONSENT", "by": ["US"]}]),
    "number for an exception reason": _put("exceptions", [{**AGREED, "reason": 5}]),
}


def _outcome(documents: list[Any]) -> object:
    """What `screen` makes of a JSON Lines roster: its results, or the first problem."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in documents))
        try:
            results = screen(read_roster(path, Fill(authority="all")))
        except RosterError as exc:
            first = exc.problems[0]
            return first.line, first.field
    return [tuple(row) for row in results.iter_rows()]


def _expected(documents: list[dict[str, Any]]) -> object:
    for row, document in enumerate(documents):
        try:
            parse_document(
                {"authority": "all", **document} if "authority" not in document else document
            )
        except InvalidDocument as exc:
            return row + 1, exc.field
    return expected_rows(documents)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_changed_document_is_refused_or_screened_exactly_as_assess_does(name: str) -> None:
    changed = copy.deepcopy(EXAMPLE)
    MUTATIONS[name](changed)
    roster = [EXAMPLE, changed]
    assert _outcome(roster) == _expected(roster)


def test_a_line_that_is_not_a_json_object_names_the_document() -> None:
    assert _outcome([EXAMPLE, [1], EXAMPLE]) == (2, "document")


def test_only_the_first_problems_are_reported_and_nothing_is_screened(tmp_path: Path) -> None:
    path = tmp_path / "roster.jsonl"
    path.write_text("".join(json.dumps({**EXAMPLE, "to": "mx"}) + "\n" for _ in range(50)))
    with pytest.raises(RosterError) as caught:
        read_roster(path, Fill())
    assert len(caught.value.problems) == 20 and caught.value.more
    assert str(caught.value.problems[0]).startswith("line 1 (row 0): to: ")


# Screens each changed roster (see test_agreement): 60 a run (the profile's 100 x 3/5), new ones
# each run; HYPOTHESIS_PROFILE=thorough tries 600.
@settings(
    max_examples=settings.default.max_examples * 3 // 5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(st.one_of(documents(), near_favourable()), min_size=1, max_size=6),
    st.sampled_from(sorted(MUTATIONS)),
    st.data(),
)
def test_random_changes_are_refused_or_screened_as_assess_does(
    roster: list[dict[str, Any]], name: str, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(roster) - 1))
    changed = copy.deepcopy(roster[index])
    try:
        MUTATIONS[name](changed)
    except (IndexError, KeyError, TypeError):
        return  # the change does not fit this document (no holds to change, say)
    roster[index] = changed
    assert _outcome(roster) == _expected(roster)


def test_a_key_given_twice_on_a_line_is_refused_naming_the_key(tmp_path: Path) -> None:
    line = json.dumps(EXAMPLE).replace(
        '"authority": "us-mx-1976"', '"authority": "us-mx-1976", "authority": "coe-ets-112"', 1
    )
    path = tmp_path / "roster.jsonl"
    path.write_text(json.dumps(EXAMPLE) + "\n" + line + "\n")
    with pytest.raises(RosterError) as refused:
        read_roster(path, Fill())
    first = refused.value.problems[0]
    assert (first.line, first.field, first.reason) == (
        2,
        "authority",
        "appears twice in the same object",
    )


def test_infinity_on_a_line_is_not_a_number(tmp_path: Path) -> None:
    line = json.dumps(EXAMPLE).replace(
        '"years_in_sending_state": 3', '"years_in_sending_state": Infinity'
    )
    path = tmp_path / "roster.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(RosterError) as refused:
        read_roster(path, Fill())
    assert refused.value.problems[0].line == 1


def test_a_key_given_twice_with_white_space_before_its_colon_is_refused(tmp_path: Path) -> None:
    line = json.dumps(EXAMPLE).replace(
        '"request_received_on": "2024-06-01"',
        '"request_received_on": "2024-06-01", "request_received_on" : "2015-07-25"',
        1,
    )
    path = tmp_path / "roster.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(RosterError) as refused:
        read_roster(path, Fill())
    first = refused.value.problems[0]
    assert (first.line, first.field) == (1, "request_received_on")


# Exceptions in CSV cells: (ground, by, agreed_on, reason) cells, and the entries they stand for.
CSV_EXCEPTIONS: dict[str, tuple[tuple[str | None, ...], list[dict[str, Any]]]] = {
    "two entries (valid)": (
        ("REMAINING_SENTENCE;CONSENT", "US+MX;US", "2025-04-01;2025-04-02", "humanitarian;"),
        [AGREED, {"ground": "CONSENT", "by": ["US"], "agreed_on": "2025-04-02"}],
    ),
    "white space around the states (valid)": (
        ("REMAINING_SENTENCE", " US + MX ", "2025-04-01", None),
        [{**AGREED, "reason": None}],
    ),
    "unknown ground": (
        ("LEAVE", "US+MX", "2025-04-01", None),
        [{"ground": "LEAVE", "by": ["US", "MX"], "agreed_on": "2025-04-01"}],
    ),
    "unassigned country": (
        ("CONSENT;CONSENT", "US;US+XX", "2025-04-01;2025-04-01", None),
        [
            {"ground": "CONSENT", "by": ["US"], "agreed_on": "2025-04-01"},
            {"ground": "CONSENT", "by": ["US", "XX"], "agreed_on": "2025-04-01"},
        ],
    ),
    "a state twice": (
        ("CONSENT", "US+MX+US", "2025-04-01", None),
        [{"ground": "CONSENT", "by": ["US", "MX", "US"], "agreed_on": "2025-04-01"}],
    ),
    "an empty state": (
        ("CONSENT", "US+", "2025-04-01", None),
        [{"ground": "CONSENT", "by": ["US", ""], "agreed_on": "2025-04-01"}],
    ),
    "impossible date": (
        ("CONSENT", "US", "2025-02-30", None),
        [{"ground": "CONSENT", "by": ["US"], "agreed_on": "2025-02-30"}],
    ),
    "missing states": (
        ("CONSENT;CONSENT", "US;", "2025-04-01;2025-04-01", None),
        [
            {"ground": "CONSENT", "by": ["US"], "agreed_on": "2025-04-01"},
            {"ground": "CONSENT", "agreed_on": "2025-04-01"},
        ],
    ),
    "missing date": (
        ("CONSENT", "US+MX", None, None),
        [{"ground": "CONSENT", "by": ["US", "MX"]}],
    ),
}
MEMBERS = ("ground", "by", "agreed_on", "reason")


@pytest.mark.parametrize("parquet", [False, True])
@pytest.mark.parametrize("name", sorted(CSV_EXCEPTIONS))
def test_exceptions_in_csv_or_parquet_cells_are_refused_or_screened_as_assess_does(
    name: str, parquet: bool, tmp_path: Path
) -> None:
    given, entries = CSV_EXCEPTIONS[name]
    cells = csv_cells(EXAMPLE)
    cells.update({f"exceptions.{m}": cell for m, cell in zip(MEMBERS, given, strict=True)})
    path = tmp_path / ("roster.parquet" if parquet else "roster.csv")
    frame = pl.DataFrame([csv_cells(EXAMPLE), cells], schema=dict.fromkeys(cells, pl.String))
    if parquet:
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    document = {**EXAMPLE, "exceptions": [{k: v for k, v in e.items() if v} for e in entries]}
    try:
        parse_document(document)
    except InvalidDocument as exc:
        with pytest.raises(RosterError) as refused:
            read_roster(path, Fill(authority="all"))
        where = "row 1" if parquet else "line 3 (row 1)"
        assert str(refused.value.problems[0]) == f"{where}: {exc.field}: {exc.reason}"
    else:
        results = screen(read_roster(path, Fill(authority="all")))
        assert [tuple(row) for row in results.iter_rows()] == expected_rows([EXAMPLE, document])


def test_documents_held_in_memory_read_as_the_same_lines_in_a_file(tmp_path: Path) -> None:
    # Pretty-printed (line breaks between tokens), with an escape (the exact parser's path).
    escaped = {**EXAMPLE, "sentence": {**EXAMPLE["sentence"], "offense_category": "fraud"}}
    texts = [json.dumps(EXAMPLE, indent=2), json.dumps(escaped).replace("fraud", "fr\\u0061ud")]
    path = tmp_path / "roster.jsonl"
    path.write_text("".join(json.dumps(json.loads(text)) + "\n" for text in texts))
    held = read_documents(pl.Series(texts), Fill())
    assert held.equals(read_roster(path, Fill()))
    assert held["sentence.offense_category"].to_list() == ["drug_trafficking", "fraud"]


def test_a_document_held_in_memory_is_refused_naming_its_position() -> None:
    texts = [json.dumps(EXAMPLE), json.dumps({**EXAMPLE, "to": "mx"})]
    with pytest.raises(RosterError) as refused:
        read_documents(pl.Series(texts), Fill())
    assert str(refused.value.problems[0]).startswith("line 2 (row 1): to: ")
