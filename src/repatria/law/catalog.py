"""The law catalog: every authority and shared rule set, loaded, validated and digested."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from repatria.law import AUTHORITY_IDS
from repatria.law.checks.parties import binds
from repatria.law.errors import LawDataError
from repatria.law.expr import Env, Expr, Movement
from repatria.law.facts import ContextFacts
from repatria.law.schema import Authority, Rule, RuleSet
from repatria.law.validation import check_references
from repatria.law.yamlload import load_yaml

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True, eq=False)
class LawCatalog:
    """All law data: authorities by id, shared rule sets by id, and a digest of the data."""

    authorities: dict[str, Authority]
    rule_sets: dict[str, RuleSet]
    digest: str
    files: dict[str, str]

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


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown key {str(error['loc'][-1])!r} at {where}"
    return f"{where or 'file'}: {error['msg']}"


def _parse(path: Path, raw: Any, model: type[BaseModel], base: Path) -> Any:
    name = str(path.relative_to(base))
    if not isinstance(raw, dict):
        raise LawDataError(name, "must hold a mapping at the top level")
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        raise LawDataError(name, _first_error(exc)) from None
    if parsed.id != path.stem:  # type: ignore[attr-defined]
        raise LawDataError(name, f"id {parsed.id!r} does not match the file name")  # type: ignore[attr-defined]
    return parsed


def load_catalog_from(base: Path) -> LawCatalog:
    """Load and validate every YAML file under a directory (no caching)."""
    authorities: dict[str, Authority] = {}
    rule_sets: dict[str, RuleSet] = {}
    files: dict[str, str] = {}
    canonical = []
    # Only these folders hold law; other reference data beside them (costs, standards) is not.
    paths = [*sorted(base.glob("authorities/*.yaml")), *sorted(base.glob("shared/*.yaml"))]
    for path in paths:
        name = str(path.relative_to(base))
        raw = load_yaml(path)
        canonical.append([name, raw])
        if path.parent.name == "authorities":
            authority = _parse(path, raw, Authority, base)
            authorities[authority.id] = authority
            files[authority.id] = name
        else:
            rule_set = _parse(path, raw, RuleSet, base)
            rule_sets[rule_set.id] = rule_set
            files[rule_set.id] = name
    missing = [a for a in AUTHORITY_IDS if a not in authorities]
    if missing:
        raise LawDataError(str(base), f"no data for authorities: {', '.join(missing)}")
    check_references(authorities, rule_sets, files)
    text = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LawCatalog(authorities, rule_sets, digest, files)


@lru_cache(maxsize=1)
def load_catalog() -> LawCatalog:
    """The catalog of the law data shipped with the package, loaded once."""
    return load_catalog_from(DATA_DIR)


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
    return {
        authority_id: binds(catalog.authorities[authority_id]) for authority_id in AUTHORITY_IDS
    }
