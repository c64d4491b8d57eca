"""Recomputing leaves from stored rows: the verifier's layout agrees with the canonical leaf."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from repatria.domain.audit import canonical_json, leaf_text, stored_moment
from repatria.domain.audit_verify import LogShape, hash_chunk
from repatria.domain.merkle import leaf_hash, tree_hash

STRING_FIELDS = ("actor", "command", "legal_basis", "reason", "subject_id", "subject_type")
MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
# Any text at all, including quotes, backslashes, control characters and astral characters.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def stored_events(draw: st.DrawFn) -> dict[str, object]:
    """An event's values as the database holds them (JSON as its canonical text)."""
    values: dict[str, object] = {name: draw(TEXT) for name in STRING_FIELDS}
    values["occurred_at"] = stored_moment(draw(MOMENTS))
    values["recorded_at"] = stored_moment(draw(MOMENTS))
    values["actor_id"] = draw(st.none() | st.integers(1, 2**62))
    values["organisation_id"] = draw(st.none() | st.integers(1, 2**62))
    values["before"] = canonical_json(draw(JSON))
    values["after"] = canonical_json(draw(JSON))
    values["states"] = canonical_json(draw(st.lists(st.sampled_from(["MX", "US", "SV"]))))
    return values


def as_row(event_id: int, seq: int, values: dict[str, object]) -> tuple[object, ...]:
    """The row as the verifier reads it: text as UTF-8 bytes, a JSON null as SQL NULL."""
    stored = leaf_hash(leaf(seq, values))

    def column(name: str) -> object:
        value = values[name]
        if name in ("before", "after") and value == "null":
            return None
        return value.encode() if isinstance(value, str) else value

    names = ("actor", "actor_id", "after", "before", "command", "legal_basis", "occurred_at")
    rest = ("organisation_id", "reason", "recorded_at", "states", "subject_id", "subject_type")
    return (event_id, seq, stored, *map(column, names), *map(column, rest))


@settings(max_examples=200, deadline=None)
@given(st.lists(stored_events(), min_size=1, max_size=6))
def test_rows_of_any_content_verify_to_the_tree_of_their_leaves(
    events: list[dict[str, object]],
) -> None:
    rows = [as_row(seq + 1, seq, values) for seq, values in enumerate(events)]
    result = hash_chunk(rows, 0, len(rows), [len(rows)])
    assert result.finding is None
    shape = LogShape(8, [result])
    assert shape.root(len(rows)) == tree_hash(
        [leaf_hash(leaf(seq, v)) for seq, v in enumerate(events)]
    )


def leaf(seq: int, values: dict[str, object]) -> bytes:
    return leaf_text(seq=seq, **values).encode()  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(stored_events(), st.sampled_from([*STRING_FIELDS, "actor_id", "after", "occurred_at"]))
def test_any_changed_value_is_found_at_its_event(values: dict[str, object], name: str) -> None:
    rows = [as_row(1, 0, values), as_row(2, 1, values)]
    changed = list(rows[1])
    position = {"actor": 3, "actor_id": 4, "after": 5, "command": 7, "legal_basis": 8}
    position |= {"occurred_at": 9, "reason": 11, "subject_id": 14, "subject_type": 15}
    index = position[name]
    original = changed[index]
    if name == "actor_id":
        changed[index] = (original or 0) + 1  # type: ignore[operator]
    elif name == "occurred_at":
        moment = datetime.fromisoformat(values["occurred_at"] + "+00:00")  # type: ignore[operator]
        changed[index] = stored_moment(moment + timedelta(microseconds=1)).encode()
    else:
        changed[index] = (original or b"null") + b" "  # type: ignore[operator]
    rows[1] = tuple(changed)
    finding = hash_chunk(rows, 0, 2, [2]).finding
    assert finding is not None and (finding.seq, finding.event_id) == (1, 2)


def plain_values(**changes: object) -> dict[str, object]:
    """An ordinary event's stored values, with some changed."""
    values: dict[str, object] = dict.fromkeys(STRING_FIELDS, "x")
    values |= {"occurred_at": "2026-01-01 00:00:00.000000", "actor_id": None}
    values |= {"recorded_at": "2026-01-01 00:00:00.000000", "organisation_id": None}
    values |= {"before": "null", "after": "null", "states": '["US"]'}
    return values | changes


def test_text_that_only_looks_escaped_is_not_the_escaped_text() -> None:
    # `say "no"` is written in the leaf as `say \"no\"`; the stored text `say \"no\"` is another
    # value, though laying it in without escapes would give the same bytes.
    row = list(as_row(1, 0, plain_values(reason='say "no"')))
    assert hash_chunk([tuple(row)], 0, 1, [1]).finding is None
    row[11] = b'say \\"no\\"'
    finding = hash_chunk([tuple(row)], 0, 1, [1]).finding
    assert finding is not None and finding.seq == 0 and "leaf hash" in finding.problem


def test_a_number_column_holding_anything_but_an_integer_is_a_change() -> None:
    row = list(as_row(1, 0, plain_values(actor_id=5)))
    assert hash_chunk([tuple(row)], 0, 1, [1]).finding is None
    for stored in (5.4, "5", b"5", True):
        row[4] = stored
        finding = hash_chunk([tuple(row)], 0, 1, [1]).finding
        assert finding is not None and finding.seq == 0, stored
