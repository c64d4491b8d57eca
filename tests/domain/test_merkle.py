"""The Merkle tree, its proofs and their verification (RFC 6962 §2.1, RFC 9162 §2.1.3-2.1.4)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from repatria.domain.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    path_from_levels,
    tree_hash,
    tree_levels,
    verify_consistency,
    verify_inclusion,
    verify_inclusion_document,
)

# The inputs of the Certificate Transparency reference tests, and their published roots.
CT_INPUTS = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_LEAVES = [leaf_hash(data) for data in CT_INPUTS]


def leaves_of(count: int) -> list[bytes]:
    return [leaf_hash(index.to_bytes(4, "big")) for index in range(count)]


def flip(data: bytes, position: int) -> bytes:
    position %= len(data)
    return data[:position] + bytes([data[position] ^ 1]) + data[position + 1 :]


sizes = st.integers(min_value=1, max_value=70)


def test_the_empty_tree_hashes_to_sha256_of_nothing() -> None:
    assert tree_hash([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_a_leaf_and_a_node_are_domain_separated_as_rfc_6962_says() -> None:
    assert leaf_hash(b"a") == hashlib.sha256(b"\x00a").digest()
    assert node_hash(b"l", b"r") == hashlib.sha256(b"\x01lr").digest()


def test_small_trees_follow_the_recursive_definition() -> None:
    a, b, c = leaves_of(3)
    assert tree_hash([a]) == a
    assert tree_hash([a, b]) == node_hash(a, b)
    assert tree_hash([a, b, c]) == node_hash(node_hash(a, b), c)


def test_roots_match_the_certificate_transparency_reference_vectors() -> None:
    for size, expected in enumerate(CT_ROOTS, start=1):
        assert tree_hash(CT_LEAVES[:size]).hex() == expected


def test_an_audit_path_of_rfc_6962_is_nearest_sibling_first() -> None:
    a, b, c, d, e = leaves_of(5)
    assert inclusion_proof([a, b, c, d, e], 2) == [d, node_hash(a, b), e]
    assert inclusion_proof([a, b, c, d, e], 4) == [node_hash(node_hash(a, b), node_hash(c, d))]


@given(sizes, st.data())
def test_every_inclusion_proof_verifies(size: int, data: st.DataObject) -> None:
    leaves = leaves_of(size)
    index = data.draw(st.integers(0, size - 1))
    proof = inclusion_proof(leaves, index)
    assert proof == path_from_levels(tree_levels(leaves), index)
    assert verify_inclusion(leaves[index], index, size, proof, tree_hash(leaves))


@given(sizes, st.data())
def test_an_inclusion_proof_with_a_flipped_byte_fails(size: int, data: st.DataObject) -> None:
    leaves = leaves_of(size)
    index = data.draw(st.integers(0, size - 1))
    proof, root = inclusion_proof(leaves, index), tree_hash(leaves)
    byte = data.draw(st.integers(0, 31))
    assert not verify_inclusion(flip(leaves[index], byte), index, size, proof, root)
    assert not verify_inclusion(leaves[index], index, size, proof, flip(root, byte))
    if proof:
        which = data.draw(st.integers(0, len(proof) - 1))
        bad = [*proof[:which], flip(proof[which], byte), *proof[which + 1 :]]
        assert not verify_inclusion(leaves[index], index, size, bad, root)


def test_an_inclusion_proof_for_another_index_or_size_fails() -> None:
    leaves = leaves_of(7)
    proof, root = inclusion_proof(leaves, 3), tree_hash(leaves)
    assert not verify_inclusion(leaves[3], 2, 7, proof, root)
    assert not verify_inclusion(leaves[3], 7, 7, proof, root)


@given(sizes, st.data())
def test_every_consistency_proof_verifies(size: int, data: st.DataObject) -> None:
    leaves = leaves_of(size)
    old = data.draw(st.integers(0, size))
    proof = consistency_proof(leaves, old)
    assert verify_consistency(old, size, tree_hash(leaves[:old]), tree_hash(leaves), proof)


@given(st.integers(2, 70), st.data())
def test_a_consistency_proof_with_a_flipped_byte_fails(size: int, data: st.DataObject) -> None:
    leaves = leaves_of(size)
    old = data.draw(st.integers(1, size - 1))
    proof = consistency_proof(leaves, old)
    old_root, new_root = tree_hash(leaves[:old]), tree_hash(leaves)
    byte = data.draw(st.integers(0, 31))
    assert not verify_consistency(old, size, flip(old_root, byte), new_root, proof)
    assert not verify_consistency(old, size, old_root, flip(new_root, byte), proof)
    which = data.draw(st.integers(0, len(proof) - 1))
    bad = [*proof[:which], flip(proof[which], byte), *proof[which + 1 :]]
    assert not verify_consistency(old, size, old_root, new_root, bad)


def test_a_rewritten_history_is_not_consistent() -> None:
    leaves = leaves_of(10)
    forged = [*leaves[:3], leaf_hash(b"forged"), *leaves[4:]]
    proof = consistency_proof(forged, 6)
    assert not verify_consistency(6, 10, tree_hash(leaves[:6]), tree_hash(forged), proof)


@given(st.integers(0, 300))
def test_the_frontier_root_is_the_tree_hash(size: int) -> None:
    frontier = Frontier()
    for leaf in leaves_of(size):
        frontier.append(leaf)
    assert frontier.root() == tree_hash(leaves_of(size))
    stored = Frontier.from_bytes(frontier.size, frontier.to_bytes())
    assert stored.root() == frontier.root() and stored.subtrees == frontier.subtrees


def test_a_proof_document_verifies_with_only_its_own_fields() -> None:
    leaves = leaves_of(9)
    document = {
        "leaf_index": 5,
        "tree_size": 9,
        "leaf_hash": leaves[5].hex(),
        "audit_path": [node.hex() for node in inclusion_proof(leaves, 5)],
        "root_hash": tree_hash(leaves).hex(),
    }
    assert verify_inclusion_document(document)
    assert not verify_inclusion_document({**document, "leaf_index": 4})
