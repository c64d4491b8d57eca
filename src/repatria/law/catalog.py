"""The law catalog: every authority and shared rule set, loaded, validated and digested, with
an installation's local amendments layered over the shipped law."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from repatria.law import AUTHORITY_IDS
from repatria.law.amendments import Layer, LocalFile, apply_local, local_name
from repatria.law.checks.parties import binds
from repatria.law.errors import LawDataError
from repatria.law.expr import Env, Expr, Movement
from repatria.law.facts import ContextFacts
from repatria.law.files import LawFile, parse_file, read_law_files
from repatria.law.held import AmendmentText
from repatria.law.known import known_then, learning_days, refuse_first_values_learned_later
from repatria.law.schema import Authority, Rule, RuleSet
from repatria.law.validation import check_references

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True, eq=False)
class LawCatalog:
    """All law data: authorities by id, shared rule sets by id, and a digest of the data."""

    authorities: dict[str, Authority]
    rule_sets: dict[str, RuleSet]
    digest: str
    files: dict[str, str]
    # The local directory's files, and what each adds (empty without local amendments).
    local: tuple[LocalFile, ...] = ()

    def rule_sources(self, authority: Authority) -> list[RuleSet]:
        """The authority itself, then each rule set it includes, in order."""
        return [authority, *(self.rule_sets[name] for name in authority.includes)]

    def rules_for(self, authority_id: str) -> list[tuple[RuleSet, Rule]]:
        """Every rule that may apply under an authority, with the set that defines it."""
        authority = self.authorities[authority_id]
        return [(owner, rule) for owner in self.rule_sources(authority) for rule in owner.rules]

    def all_rules(self) -> list[tuple[RuleSet, Rule]]:
        """Every rule in the data once, with the set that defines it."""
        owners: list[RuleSet] = [*self.authorities.values(), *self.rule_sets.values()]
        return [(owner, rule) for owner in owners for rule in owner.rules]


def _parse_shipped(files_read: list[LawFile]) -> Layer:
    law = Layer({}, {}, {})
    for file in files_read:
        if file.folder == "authorities":
            authority = parse_file(file.name, file.path, file.raw, Authority)
            law.authorities[authority.id] = authority
            law.files[authority.id] = file.name
        else:
            rule_set = parse_file(file.name, file.path, file.raw, RuleSet)
            law.rule_sets[rule_set.id] = rule_set
            law.files[rule_set.id] = file.name
    return law


def load_catalog_from(
    base: Path,
    local: Path | None = None,
    amendments: Sequence[AmendmentText] = (),
    known_on: date | None = None,
) -> LawCatalog:
    """Load and validate every law file under a directory, then, if given, the amendments of
    a local directory and those approved in the application over it, validated alike (no
    caching). `known_on`: the law as this installation knew it that day, without the entries
    and amendments it learned of later."""
    shipped = read_law_files(base)
    refuse_first_values_learned_later(shipped)
    if known_on is not None:
        shipped = [f for file in shipped if (f := known_then(file, known_on)) is not None]
        amendments = [a for a in amendments if a.known_from is None or a.known_from <= known_on]
    law = _parse_shipped(shipped)
    missing = [a for a in AUTHORITY_IDS if a not in law.authorities]
    if missing:
        raise LawDataError(str(base), f"no data for authorities: {', '.join(missing)}")
    check_references(law.authorities, law.rule_sets, law.files)
    canonical = [[file.name, file.raw] for file in shipped]
    added: list[LocalFile] = []
    if local is not None or amendments:
        held = [amendment.law_file() for amendment in amendments]
        local_read, added = apply_local(local, law, held, known_on)
        # Named relative to the local directory, so the digest does not depend on where it is;
        # with no local file the digest is the shipped law's.
        canonical += [[local_name(file), file.raw] for file in local_read]
        check_references(law.authorities, law.rule_sets, law.files)
    text = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    # Errors above name a local file by its path; the catalog, which pages show, by its name.
    shown = {file.path: file.name for file in added}
    files = {key: shown.get(name, name) for key, name in law.files.items()}
    return LawCatalog(law.authorities, law.rule_sets, digest, files, tuple(added))


def _no_local_law() -> Path | None:
    return None


# Where this installation's amendments are: set by the composition root (which reads the
# settings), read at each load, so a changed setting is a new cache key below.
_local_law: list[Callable[[], Path | None]] = [_no_local_law]


def use_local_law(local_dir: Callable[[], Path | None]) -> None:
    """Name, as a function read at each `load_catalog()`, the directory of local amendments."""
    _local_law[0] = local_dir


def local_law_dir() -> Path | None:
    """The directory of this installation's local amendments (None: none)."""
    return _local_law[0]()


@lru_cache(maxsize=16)
def load_layered(
    local_dir: Path | None,
    amendments: tuple[AmendmentText, ...] = (),
    known_on: date | None = None,
) -> LawCatalog:
    """The shipped law with the amendments of a local directory (None: none) and those
    approved in the application, loaded once per directory, amendments and day known."""
    return load_catalog_from(DATA_DIR, local_dir, amendments, known_on)


def load_catalog(
    amendments: Sequence[AmendmentText] = (), known_on: date | None = None
) -> LawCatalog:
    """The law of this installation: the shipped law, its local amendments, if any, and the
    approved amendments the services read from the database (`services/law_in_force.py`)."""
    local = _local_law[0]()
    if known_on is not None:
        known_on = _same_law_day(known_on, local, amendments)
    return load_layered(local, tuple(amendments), known_on)


@lru_cache(maxsize=1)
def _shipped_files() -> list[LawFile]:
    return read_law_files(DATA_DIR)


def _same_law_day(
    day: date, local: Path | None, amendments: Sequence[AmendmentText]
) -> date | None:
    """The day that stands for every day with the same law as known on `day`: the law as
    known changes only when an entry or amendment is learned, so one cached catalog answers
    the whole span (None: nothing was learned since, the law known now)."""
    learned = _learning_days(local, tuple(amendments))
    if not learned or learned[-1] <= day:
        return None
    known = bisect_right(learned, day)  # how many were learned by that day
    return learned[known - 1] if known else learned[0] - timedelta(days=1)


@lru_cache(maxsize=16)
def _learning_days(local: Path | None, amendments: tuple[AmendmentText, ...]) -> tuple[date, ...]:
    """Every day an entry or amendment of this law was learned, in order: read once per
    directory and amendments, as the catalogs themselves are (`load_layered`)."""
    files = _shipped_files() + (read_law_files(local) if local and local.is_dir() else [])
    files += [amendment.law_file() for amendment in amendments]
    learned = {a.known_from for a in amendments if a.known_from is not None}
    return tuple(sorted(learned.union(*(learning_days(file) for file in files))))


def authorities_in_force(from_state: str, to_state: str, as_of: date) -> list[str]:
    """The ids of the authorities in force between two states on a date."""
    catalog = load_catalog()
    env = Env(Movement(from_state, to_state, as_of), ContextFacts(), catalog)
    return [
        authority_id
        for authority_id, binding in _bindings(catalog).items()
        if binding.evaluate(env) is True
    ]


@lru_cache(maxsize=4)
def _bindings(catalog: LawCatalog) -> dict[str, Expr]:
    """Whether each authority binds, as one expression each, built once per catalog."""
    # The public ids in their order, then any an installation added.
    ids = [*AUTHORITY_IDS, *(name for name in catalog.authorities if name not in AUTHORITY_IDS)]
    return {authority_id: binds(catalog.authorities[authority_id]) for authority_id in ids}
