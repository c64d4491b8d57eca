"""Merkle tree hashes, inclusion and consistency proofs exactly as RFC 6962 §2.1 defines them.

Pure and standard-library only, so an outside party can copy this file to check a proof. A tree
over n leaf hashes is built level by level, pairing left to right and carrying an odd last node
up unchanged: that is the same tree as RFC 6962's recursive split at the largest power of two
below n. Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 step by step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """The hash of one leaf: SHA-256(0x00 || data)."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def tree_levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Every level of the tree over these leaf hashes, leaves first and the root level last."""
    level = list(leaves)
    levels = [level]
    sha = _sha256
    while len(level) > 1:
        pairs = iter(level)  # zip of one iterator with itself walks the level two by two
        upper = [
            sha(b"\x01" + left + right).digest() for left, right in zip(pairs, pairs, strict=False)
        ]
        if len(level) % 2:
            upper.append(level[-1])
        levels.append(upper)
        level = upper
    return levels


def tree_hash(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]): the root hash over these leaf hashes (SHA-256 of nothing for no leaves)."""
    if not leaves:
        return EMPTY_ROOT
    return tree_levels(leaves)[-1][0]


def _split(size: int) -> int:
    """The largest power of two strictly below size (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf `index`, nearest sibling first."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)} leaves")
    return _path(leaves, index, 0, len(leaves))


def _path(leaves: Sequence[bytes], index: int, start: int, end: int) -> list[bytes]:
    if end - start <= 1:
        return []
    k = _split(end - start)
    if index < k:
        return [*_path(leaves, index, start, start + k), tree_hash(leaves[start + k : end])]
    return [*_path(leaves, index - k, start + k, end), tree_hash(leaves[start : start + k])]


def path_from_levels(levels: Sequence[Sequence[bytes]], index: int) -> list[bytes]:
    """The same audit path as inclusion_proof, read off precomputed tree_levels in O(log n)."""
    if not 0 <= index < len(levels[0]):
        raise ValueError(f"leaf {index} is not in a tree of {len(levels[0])} leaves")
    path = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling < len(level):  # an odd last node has no sibling: it is carried up as it is
            path.append(level[sibling])
        index >>= 1
    return path


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2: shows the first old_size leaves are a prefix of all."""
    if not 0 <= old_size <= len(leaves):
        raise ValueError(f"size {old_size} is not within a tree of {len(leaves)} leaves")
    if old_size in (0, len(leaves)):
        return []
    return _subproof(leaves, old_size, 0, len(leaves), complete=True)


def _subproof(
    leaves: Sequence[bytes], size: int, start: int, end: int, *, complete: bool
) -> list[bytes]:
    if size == end - start:
        return [] if complete else [tree_hash(leaves[start:end])]
    k = _split(end - start)
    if size <= k:
        head = _subproof(leaves, size, start, start + k, complete=complete)
        return [*head, tree_hash(leaves[start + k : end])]
    head = _subproof(leaves, size - k, start + k, end, complete=False)
    return [*head, tree_hash(leaves[start : start + k])]


def verify_inclusion(
    leaf: bytes, index: int, tree_size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """True when `path` proves that `leaf` is leaf `index` of the tree of `tree_size` with `root`.

    RFC 9162 §2.1.3.2, step by step.
    """
    if not 0 <= index < tree_size:
        return False
    fn, sn, hashed = index, tree_size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            hashed = node_hash(sibling, hashed)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            hashed = node_hash(hashed, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and hashed == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """True when `proof` shows the tree (old_size, old_root) is a prefix of (new_size, new_root).

    RFC 9162 §2.1.4.2, step by step; sizes 0 and equal sizes are the trivial cases.
    """
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    old_hash = new_hash = path[0]
    for sibling in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_hash = node_hash(sibling, old_hash)
            new_hash = node_hash(sibling, new_hash)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            new_hash = node_hash(new_hash, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and old_hash == old_root and new_hash == new_root


class Frontier:
    """The compact form of a growing tree: one root per perfect subtree, largest first.

    Appending is O(log n) and the root is computable at any time, so a writer never rebuilds
    the tree. Each entry is (height, hash) with the subtree covering 2**height leaves.
    """

    def __init__(self, size: int = 0, subtrees: Sequence[tuple[int, bytes]] = ()) -> None:
        self.size = size
        self.subtrees = list(subtrees)
        if sum(1 << height for height, _ in self.subtrees) != size:
            raise ValueError("the subtrees do not add up to the size")

    def append(self, leaf: bytes, height: int = 0) -> None:
        """Add a leaf hash, or a whole aligned perfect subtree of 2**height leaves."""
        if self.size % (1 << height):
            raise ValueError(f"a subtree of height {height} is not aligned at {self.size}")
        self.size += 1 << height
        hashed = leaf
        while self.subtrees and self.subtrees[-1][0] == height:
            _, left = self.subtrees.pop()
            hashed = node_hash(left, hashed)
            height += 1
        self.subtrees.append((height, hashed))

    def root(self) -> bytes:
        """MTH of every leaf appended so far."""
        if not self.subtrees:
            return EMPTY_ROOT
        hashed = self.subtrees[-1][1]
        for _, left in reversed(self.subtrees[:-1]):
            hashed = node_hash(left, hashed)
        return hashed

    def to_bytes(self) -> bytes:
        """The subtree hashes concatenated, largest first (the heights follow from the size)."""
        return b"".join(hashed for _, hashed in self.subtrees)

    @classmethod
    def from_bytes(cls, size: int, packed: bytes) -> Frontier:
        """Rebuild a frontier stored by to_bytes."""
        heights = [bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1]
        if len(packed) != HASH_SIZE * len(heights):
            raise ValueError(f"a frontier of size {size} holds {len(heights)} hashes")
        hashes = [packed[i : i + HASH_SIZE] for i in range(0, len(packed), HASH_SIZE)]
        return cls(size, list(zip(heights, hashes, strict=True)))


def prefix_subtrees(levels: Sequence[Sequence[bytes]], size: int) -> list[tuple[int, bytes]]:
    """The frontier of the first `size` leaves, read off the levels of a larger tree."""
    subtrees: list[tuple[int, bytes]] = []
    offset = 0
    for height in range(size.bit_length() - 1, -1, -1):
        if size >> height & 1:
            subtrees.append((height, levels[height][offset >> height]))
            offset += 1 << height
    return subtrees


def verify_inclusion_document(document: Mapping[str, object]) -> bool:
    """Check the Merkle part of an event proof as `repatria audit proof` prints it.

    Needs only the fields leaf_index, tree_size, leaf_hash, audit_path and root_hash (hex);
    the checkpoint's signature over tree_size and root_hash is checked separately (docs/audit.md).
    """
    path = document["audit_path"]
    index, size = document["leaf_index"], document["tree_size"]
    if not isinstance(path, list) or not isinstance(index, int) or not isinstance(size, int):
        return False
    return verify_inclusion(
        bytes.fromhex(str(document["leaf_hash"])),
        index,
        size,
        [bytes.fromhex(str(sibling)) for sibling in path],
        bytes.fromhex(str(document["root_hash"])),
    )
