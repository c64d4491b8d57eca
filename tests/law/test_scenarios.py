"""Every scenario in tests/law/scenarios holds: the lawyer-readable specification of the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from repatria.law.scenarios import Scenario, load_scenarios, run_scenario

SCENARIOS = load_scenarios(Path(__file__).parent / "scenarios")


def test_there_are_at_least_eighty_scenarios() -> None:
    assert len(SCENARIOS) >= 80


def test_scenario_names_are_unique() -> None:
    names = [scenario.name for scenario in SCENARIOS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[f"{s.file}:{s.name}" for s in SCENARIOS])
def test_scenario_holds(scenario: Scenario) -> None:
    assert run_scenario(scenario) == []
