"""Scenario files a lawyer can read: load them, run each, and say whether it holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.law.errors import InvalidDocument, LawDataError
from repatria.law.facts import ContextFacts
from repatria.law.yamlload import load_yaml

_KEYS = {"name", "input", "expect", "facts"}
_EXPECT_KEYS = {"allowed", "grounds", "invalid", "outcomes", "reasons"}


@dataclass(frozen=True)
class Scenario:
    """One named input with what the engine is expected to answer."""

    name: str
    file: str
    input: Any
    expect: dict[str, Any]
    facts: dict[str, Any]


def load_scenarios(directory: Path) -> list[Scenario]:
    """Every scenario in every YAML file of a directory, in file then list order."""
    scenarios = []
    for path in sorted(directory.glob("*.yaml")):
        entries = load_yaml(path)
        if not isinstance(entries, list):
            raise LawDataError(path.name, "a scenario file holds a list of scenarios")
        for index, entry in enumerate(entries):
            if (
                not isinstance(entry, dict)
                or set(entry) - _KEYS
                or not {"name", "expect"} <= set(entry)
            ):
                raise LawDataError(path.name, f"scenario {index} needs name, input and expect only")
            if set(entry["expect"]) - _EXPECT_KEYS:
                raise LawDataError(path.name, f"scenario {entry['name']!r}: unknown expect keys")
            scenarios.append(
                Scenario(
                    entry["name"],
                    path.name,
                    entry.get("input"),
                    entry["expect"],
                    entry.get("facts") or {},
                )
            )
    return scenarios


def run_scenario(scenario: Scenario) -> list[str]:
    """The ways the engine's answer differs from the expectation (empty when it holds)."""
    expect, problems = scenario.expect, []
    try:
        document = parse_document(scenario.input)
    except InvalidDocument as exc:
        wanted = expect.get("invalid")
        if wanted is None:
            return [f"invalid document: {exc}"]
        if wanted.get("field") != exc.field:
            return [f"invalid field {exc.field!r}, expected {wanted.get('field')!r} ({exc.reason})"]
        return []
    if "invalid" in expect:
        return [f"expected invalid field {expect['invalid'].get('field')!r}, got a verdict"]
    verdict = assess(document, ContextFacts(**scenario.facts))
    if "allowed" in expect and verdict.allowed != expect["allowed"]:
        problems.append(f"allowed is {verdict.allowed}, expected {expect['allowed']}")
    if "grounds" in expect and verdict.grounds != sorted(expect["grounds"]):
        problems.append(f"grounds {verdict.grounds}, expected {sorted(expect['grounds'])}")
    outcomes = {check.rule: check.outcome for check in verdict.checks}
    for rule, outcome in (expect.get("outcomes") or {}).items():
        if outcomes.get(rule) != outcome:
            problems.append(f"{rule} is {outcomes.get(rule)}, expected {outcome}")
    reasons = {check.rule: check.reason for check in verdict.checks}
    for rule, words in (expect.get("reasons") or {}).items():
        if words not in reasons.get(rule, ""):
            problems.append(f"{rule} says {reasons.get(rule)!r}, expected it to say {words!r}")
    return problems
