"""Recomputing the log from stored leaves: the root of any record, and the first changed leaf."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from repatria.domain.audit import event_leaf
from repatria.domain.audit_verify import LogShape, hash_chunk
from repatria.domain.events import Event
from repatria.domain.merkle import leaf_hash, tree_hash

# Any text at all, including quotes, backslashes, control characters and astral characters.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
EVENTS = st.builds(
    Event,
    command=TEXT,
    subject_type=TEXT,
    subject_id=TEXT,
    occurred_at=MOMENTS,
    recorded_at=MOMENTS,
    actor=TEXT,
    actor_id=st.none() | st.integers(1, 2**62),
    organisation_id=st.none() | st.integers(1, 2**62),
    before=st.none() | st.dictionaries(TEXT, JSON, max_size=3),
    after=st.none() | st.dictionaries(TEXT, JSON, max_size=3),
    reason=TEXT,
    legal_basis=TEXT,
    states=st.lists(st.sampled_from(["MX", "US", "SV"])),
)


def rows_of(events: list[Event]) -> list[tuple[int, int, bytes, bytes]]:
    """The rows as the verifier reads them: id, seq, stored leaf hash, leaf bytes."""
    leaves = [event_leaf(event, seq) for seq, event in enumerate(events)]
    return [(seq + 1, seq, leaf_hash(leaf), leaf) for seq, leaf in enumerate(leaves)]


@settings(max_examples=100, deadline=None)
@given(st.lists(EVENTS, min_size=1, max_size=9))
def test_a_record_of_any_content_verifies_to_the_tree_of_its_leaves(events: list[Event]) -> None:
    rows = rows_of(events)
    result = hash_chunk(rows, 0, len(rows), [len(rows)])
    assert result.finding is None
    assert LogShape(16, [result]).root(len(rows)) == tree_hash([row[2] for row in rows])


@settings(max_examples=100, deadline=None)
@given(st.lists(EVENTS, min_size=2, max_size=6), st.data())
def test_a_changed_byte_of_a_leaf_is_found_at_its_event(
    events: list[Event], data: st.DataObject
) -> None:
    rows = rows_of(events)
    seq = data.draw(st.integers(0, len(rows) - 1))
    event_id, _, stored, leaf = rows[seq]
    offset = data.draw(st.integers(0, len(leaf) - 1))
    changed = leaf[:offset] + bytes([leaf[offset] ^ 1]) + leaf[offset + 1 :]
    rows[seq] = (event_id, seq, stored, changed)
    finding = hash_chunk(rows, 0, len(rows), [len(rows)]).finding
    assert finding is not None and (finding.seq, finding.event_id) == (seq, event_id)
    assert "leaf hash" in finding.problem


def test_a_missing_position_is_named() -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    events = [Event("OpenCase", "case", str(n), moment, moment, "ana") for n in range(4)]
    rows = rows_of(events)
    gap = hash_chunk([rows[0], rows[2], rows[3]], 0, 4, [4]).finding
    assert gap is not None and gap.seq == 1 and "missing" in gap.problem
    short = hash_chunk(rows[:3], 0, 4, [4]).finding
    assert short is not None and short.seq == 3 and "missing" in short.problem
