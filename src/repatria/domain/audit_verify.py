"""Recomputing the Merkle log from stored event rows and naming the first one that is wrong.

The work is cut into chunks of aligned positions (a power of two long) so that separate
processes can hash them; each chunk hands back only the perfect-subtree hashes (frontiers) the
roots at the requested sizes need, and `LogShape` folds them into the roots.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from repatria.domain.merkle import Frontier, prefix_subtrees, tree_levels

Subtrees = list[tuple[int, bytes]]
_LEAF_PREFIX = b"\x00"  # RFC 6962 §2.1: a leaf hash is SHA-256(0x00 || leaf)


@dataclass(frozen=True, order=True)
class Finding:
    """What is wrong with the log, at the earliest position where it shows."""

    position: float  # the seq where it shows; infinity for rows outside the log
    event_id: int | None = field(compare=False)
    problem: str = field(compare=False)

    @property
    def seq(self) -> int | None:
        """The position as a sequence number, when there is one."""
        return int(self.position) if self.position != float("inf") else None


@dataclass
class ChunkResult:
    """One chunk's contribution: frontiers at the requested sizes and its first finding."""

    start: int
    frontiers: dict[int, Subtrees]
    finding: Finding | None
    edge_ids: tuple[list[int], list[int]]  # the first two and the last two event ids


def hash_chunk(
    rows: Iterable[Sequence[Any]], start: int, end: int, sizes: Iterable[int]
) -> ChunkResult:
    """Hash the rows of positions start..end-1 (in seq order) and check each one.

    Each row gives the event's id, its seq, its stored leaf hash and its leaf (`body`, the
    UTF-8 bytes of the canonical JSON that every other column of the event is derived from).
    `sizes` are the prefix lengths (relative to start) whose frontiers are wanted.
    """
    leaves: list[bytes] = []
    append = leaves.append
    sha = hashlib.sha256
    prefix = _LEAF_PREFIX
    finding: Finding | None = None
    ids: list[int] = []
    expected = start
    row: Sequence[Any] = ()
    try:
        for row in rows:
            event_id, seq, stored, body = row
            if seq != expected:
                finding = _misplaced(expected, seq, event_id)
                break
            ids.append(event_id)
            hashed = sha(prefix + body).digest()
            if hashed != stored:
                finding = Finding(seq, event_id, "its content does not match its leaf hash")
                break
            append(hashed)
            expected += 1
    except (TypeError, ValueError, IndexError) as exc:
        finding = Finding(
            expected, row[0] if row else None, f"it cannot be read as an event: {exc}"
        )
    if finding is None and expected < end:
        finding = Finding(expected, None, "it is missing (deleted)")
    order = _first_out_of_order(ids, start)
    if order is not None and (finding is None or order < finding):
        finding = order
    levels = tree_levels(leaves) if leaves else [[]]
    frontiers = {size: prefix_subtrees(levels, size) for size in sizes if size <= len(leaves)}
    return ChunkResult(start, frontiers, finding, (ids[:2], ids[-2:]))


def _misplaced(expected: int, seq: object, event_id: int) -> Finding:
    if seq is None:
        return Finding(expected, event_id, "it has no sequence number")
    if isinstance(seq, int) and seq > expected:
        return Finding(
            expected, None, f"it is missing (deleted); the next row is seq {seq}, id {event_id}"
        )
    return Finding(expected, event_id, f"it has seq {seq} where seq {expected} belongs")


def _first_out_of_order(ids: Sequence[int], start: int) -> Finding | None:
    """Events are appended under a lock, so ids rise with seq; name the one that breaks this."""
    for offset in range(1, len(ids)):
        if ids[offset] <= ids[offset - 1]:
            # Blame the earlier event when dropping it restores the order (an intruder or the
            # first of a swapped pair), otherwise the later one.
            earlier_is_odd = offset == 1 or ids[offset] > ids[offset - 2]
            culprit = offset - 1 if earlier_is_odd else offset
            return Finding(
                start + culprit,
                ids[culprit],
                "its id is out of order with its neighbours (inserted or moved)",
            )
    return None


@dataclass
class LogShape:
    """The log's roots at any size, assembled from chunks of chunk_size positions."""

    chunk_size: int
    chunks: list[ChunkResult]

    def subtrees(self, size: int) -> Subtrees:
        """The frontier of the first `size` leaves."""
        frontier = Frontier()
        height = self.chunk_size.bit_length() - 1
        whole, rest = divmod(size, self.chunk_size)
        for chunk in self.chunks[:whole]:
            ((_, root),) = chunk.frontiers[self.chunk_size]
            frontier.append(root, height)
        if rest:
            for subtree_height, hashed in self.chunks[whole].frontiers[rest]:
                frontier.append(hashed, subtree_height)
        return frontier.subtrees

    def root(self, size: int) -> bytes | None:
        """MTH of the first `size` leaves, or None when a chunk stopped before reaching it."""
        try:
            return Frontier(size, self.subtrees(size)).root()
        except (KeyError, IndexError):
            return None

    def first_finding(self) -> Finding | None:
        """The earliest finding of any chunk, or across the seams between chunks."""
        findings = [chunk.finding for chunk in self.chunks if chunk.finding is not None]
        for left, right in zip(self.chunks, self.chunks[1:], strict=False):
            seam = [*left.edge_ids[1], *right.edge_ids[0]]
            found = _first_out_of_order(seam, right.start - len(left.edge_ids[1]))
            if found is not None:
                findings.append(found)
        return min(findings, default=None)


def chunk_size_for(tree_size: int, workers: int) -> int:
    """A power of two that cuts the log into a few chunks per worker (at least 2**14 each)."""
    target = max(tree_size // (2 * max(workers, 1)), 1 << 14)
    return 1 << (target - 1).bit_length()


def sizes_in_chunk(chunk_start: int, chunk_size: int, end: int, sizes: Iterable[int]) -> list[int]:
    """The relative prefix lengths a chunk must give a frontier for."""
    chunk_end = min(chunk_start + chunk_size, end)
    wanted = {chunk_end - chunk_start}
    wanted.update(size - chunk_start for size in sizes if chunk_start < size <= chunk_end)
    return sorted(wanted)
