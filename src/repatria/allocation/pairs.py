"""Keep-apart and keep-together requests, indexed by person."""

from __future__ import annotations

from collections import defaultdict

from repatria.allocation.model import AllocationRequest


class PairIndex:
    """Each person's keep-apart and keep-together partners, and the groups the latter join."""

    def __init__(self, request: AllocationRequest) -> None:
        self.apart: dict[str, set[str]] = defaultdict(set)
        for a, b in request.keep_apart:
            if a != b:
                self.apart[a].add(b)
                self.apart[b].add(a)
        self.together: dict[str, set[str]] = defaultdict(set)
        self._parent: dict[str, str] = {}
        for a, b in request.keep_together:
            self._union(a, b)
            if a != b:
                self.together[a].add(b)
                self.together[b].add(a)

    def _find(self, item: str) -> str:
        parent = self._parent.setdefault(item, item)
        while parent != self._parent[parent]:
            self._parent[parent] = self._parent[self._parent[parent]]
            parent = self._parent[parent]
        return parent

    def _union(self, a: str, b: str) -> None:
        self._parent[self._find(a)] = self._find(b)

    def together_groups(self) -> list[list[str]]:
        """People who asked to be together, as groups of two or more, in a stable order."""
        groups: dict[str, list[str]] = defaultdict(list)
        for person in sorted(self._parent):
            groups[self._find(person)].append(person)
        return [g for g in groups.values() if len(g) > 1]
