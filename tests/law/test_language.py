"""The law speaks Spanish too: every reason of every check has its Spanish, naming the same
values, and a verdict asked for in Spanish is the same verdict in other words."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from repatria.law import ContextFacts
from repatria.law.catalog import load_catalog
from repatria.law.checks import CHECKS
from repatria.law.checks.exceptions import with_exceptions
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.law.expr import Decide, Leaf, failing, passing
from repatria.law.expr.decisions import placeholders
from repatria.law.language import country, day_in, joined, language_of, moment_in
from repatria.law.scenarios import load_scenarios
from repatria.law.schema import Authority, Parameter

HERE = Path(__file__).parent


def _values(parameter: Parameter) -> Iterator[Any]:
    """Every value a parameter has held, for any state."""
    for dated in parameter.values:
        yield dated.value
        yield from dated.by_state.values()


def _decisions() -> Iterator[tuple[str, Decide]]:
    """The decision of every rule the law data names, for every value of its parameters,
    plain and wrapped by the exceptions wrapper."""
    catalog = load_catalog()
    for authority in catalog.authorities.values():
        for owner, rule in catalog.rules_for(authority.id):
            choices: list[dict[str, Any]] = [{}]
            for argument, name in rule.params.items():
                parameter = authority.parameters.get(name) or owner.parameters[name]
                choices = [{**c, argument: v} for c in choices for v in _values(parameter)]
            for params in choices:
                decision = CHECKS[rule.check].decision(params, authority)
                rule_id = f"{owner.id}/{rule.id}"
                yield rule_id, decision
                yield rule_id, with_exceptions(decision, rule, rule_id)


def _leaves(node: object, seen: set[int]) -> Iterator[Leaf]:
    """Every leaf reachable from a decision: its branches, its values, nested decisions."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, Leaf):
        yield node
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _leaves(item, seen)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _leaves(item, seen)
    elif dataclasses.is_dataclass(node) and not isinstance(node, Authority | type):
        for found in dataclasses.fields(node):
            yield from _leaves(getattr(node, found.name), seen)


def _all_leaves() -> list[tuple[str, Leaf]]:
    seen: set[int] = set()
    return [(rule, leaf) for rule, decision in _decisions() for leaf in _leaves(decision, seen)]


def test_every_check_the_law_names_is_walked() -> None:
    # A check the data names is built here, so a new one is covered by the tests below.
    used = {rule.check for _, rule in _rules()}
    assert used <= set(CHECKS)
    assert len(_all_leaves()) > 150


def _rules() -> Iterator[tuple[Any, Any]]:
    catalog = load_catalog()
    for authority in catalog.authorities.values():
        yield from catalog.rules_for(authority.id)


def test_every_reason_template_has_spanish_naming_the_same_values() -> None:
    for rule, leaf in _all_leaves():
        assert leaf.es.strip(), rule
        assert placeholders(leaf.es) == placeholders(leaf.template), (rule, leaf)


def test_the_spanish_of_a_reason_is_not_its_english() -> None:
    # Only a template that is nothing but a value ("{problems}") reads alike in both.
    for rule, leaf in _all_leaves():
        bare = leaf.template.strip("{}")
        if bare in placeholders(leaf.template):
            continue
        assert leaf.es != leaf.template, (rule, leaf.template)


def test_a_reason_without_spanish_or_naming_other_values_is_refused_when_written() -> None:
    with pytest.raises(ValueError, match="same values"):
        passing("national of {to}", es="nacional")
    with pytest.raises(ValueError, match="same values"):
        failing("lived in {from} {years:g} years", es="residió en {to} {years:g} años")
    with pytest.raises(ValueError, match="same values"):
        passing("national of {to}", es=" ")
    with pytest.raises(TypeError):
        passing("national of {to}")  # type: ignore[call-arg]


def _document(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((HERE / "example.json").read_text())
    document.update(changes)
    return document


def _reasons(document: dict[str, Any], language: str = "es") -> dict[str, str]:
    verdict = assess(parse_document(document), language=language)  # type: ignore[arg-type]
    return {check.rule: check.reason for check in verdict.checks}


def test_a_mexican_national_under_the_1976_treaty_is_explained_in_spanish() -> None:
    reasons = _reasons(_document(holds=[]))
    assert reasons["us-mx-1976/nationality"] == "nacional de México"
    assert reasons["us-mx-1976/domicile"] == (
        "residió en Estados Unidos 3 años, menos de los 5 que constituyen domicilio"
    )
    assert reasons["us-mx-1976/remaining-sentence"] == (
        "quedan por cumplir 55 meses y 11 días al 1 de junio de 2024; el mínimo es de 6 meses"
    )
    assert reasons["us-mx-1976/excluded-offences"] == (
        "un delito contra la salud (narcotráfico) no está excluido"
    )
    assert reasons["us-mx-1976/approval"] == (
        "el Estado trasladante (Estados Unidos) aprobó el 10 de enero de 2025;"
        " el Estado receptor (México) aprobó el 1 de marzo de 2025"
    )
    assert reasons["us-mx-1976/consent"].startswith(
        "consentimiento otorgado por la propia persona sentenciada"
    )


def test_a_domiciliary_fails_in_spanish_as_in_english() -> None:
    person = {**_document()["person"], "years_in_sending_state": 7, "intends_to_remain": True}
    document = _document(person=person, holds=[])
    assert _reasons(document, "en")["us-mx-1976/domicile"] == (
        "lived in US 7 years with intent to remain: a domiciliary"
    )
    assert _reasons(document)["us-mx-1976/domicile"] == (
        "residió en Estados Unidos 7 años con intención de permanecer: tiene ahí su domicilio"
    )


def test_an_ets_112_transfer_is_explained_in_spanish() -> None:
    document = _document(
        authority="coe-ets-112",
        **{"from": "ES", "to": "MX"},
        holds=[],
        person={**_document()["person"], "citizenships": ["CO"]},
    )
    verdict = assess(parse_document(document), language="es")
    reasons = {check.rule: check.reason for check in verdict.checks}
    assert not verdict.allowed
    assert reasons["coe-ets-112/nationality"].startswith(
        "no es nacional de México (nacionalidades: Colombia)"
    )
    assert reasons["coe-ets-112/in-force"].startswith("coe-ets-112 obliga a España desde el ")


def test_a_removal_barred_by_a_protection_order_is_explained_in_spanish() -> None:
    document = {
        "authority": "us-removal",
        "from": "US",
        "to": "VE",
        "as_of": "2025-04-11",
        "person": {"birth_date": "1990-05-05", "citizenships": ["VE"]},
        "removal_order": {"final": True, "designated_countries": ["VE"]},
        "fear_claim": {"raised": False, "outcome": None},
        "protection_orders": [{"kind": "withholding", "country": "VE", "issued_on": "2019-10-10"}],
        "holds": [],
    }
    verdict = assess(parse_document(document), language="es")
    barred = [check for check in verdict.checks if check.outcome == "fail"]
    assert [check.ground for check in barred] == ["PROTECTION_ORDER"]
    assert barred[0].reason == (
        "una orden de retención de expulsión dictada el 10 de octubre de 2019 impide la"
        " expulsión a Venezuela (en vigor el 11 de abril de 2025)"
    )


def _scenario_documents() -> Iterator[tuple[str, Any, ContextFacts | None]]:
    for scenario in load_scenarios(HERE / "scenarios"):
        if "invalid" in scenario.expect:
            continue
        facts = ContextFacts(**scenario.facts) if scenario.facts else None
        yield scenario.name, parse_document(scenario.input), facts


def test_in_every_scenario_spanish_gives_the_same_verdict_in_other_words() -> None:
    for name, document, facts in _scenario_documents():
        english = assess(document, facts).to_json()
        spanish = assess(document, facts, language="es").to_json()
        strip = [{**c, "reason": None} for c in english["checks"]]
        assert [{**c, "reason": None} for c in spanish["checks"]] == strip, name
        assert {**spanish, "checks": None} == {**english, "checks": None}, name
        for before, after in zip(english["checks"], spanish["checks"], strict=True):
            assert after["reason"] != before["reason"], (name, before["reason"])


def test_english_stays_the_default_and_keeps_codes_and_iso_dates() -> None:
    document = parse_document(_document(holds=[]))
    assert assess(document).to_json() == assess(document, language="en").to_json()
    assert _reasons(_document(holds=[]), "en")["us-mx-1976/nationality"] == "national of MX"


def test_values_are_rendered_as_spanish_officials_write_them() -> None:
    assert day_in("es", date(2025, 4, 1)) == "1 de abril de 2025"
    assert day_in("en", date(2025, 4, 1)) == "2025-04-01"
    assert country("es", "US") == "Estados Unidos"
    assert country("es", "SV") == "El Salvador"
    assert country("en", "SV") == "SV"
    moment = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
    assert moment_in("es", moment) == "14 de marzo de 2025, a las 09:00 (UTC)"
    assert joined(["Francia", "Italia"], "and", "es") == "Francia e Italia"
    assert joined(["siete", "ocho"], "or", "es") == "siete u ocho"
    assert joined(["A", "B", "C"], "or", "en") == "A or B or C"


@pytest.mark.parametrize(
    ("header", "language"),
    [("es", "es"), ("es-SV", "es"), ("es_MX", "es"), ("en-US", "en"), ("fr", "en"), (None, "en")],
)
def test_a_language_code_names_spanish_or_else_english(header: str | None, language: str) -> None:
    assert language_of(header) == language


def test_every_shipped_instrument_has_its_spanish_title_and_says_whether_it_is_official() -> None:
    catalog = load_catalog()
    for rule_set in [*catalog.authorities.values(), *catalog.rule_sets.values()]:
        spanish = rule_set.title_es
        assert spanish is not None, rule_set.id
        assert spanish.text.strip() and spanish.source.strip(), rule_set.id
        if not spanish.official:
            # A title not read in a published Spanish text says what it is instead.
            assert "not" in spanish.source.lower() and "official" in spanish.source, rule_set.id
    official = {a.id for a in catalog.authorities.values() if a.title_es and a.title_es.official}
    assert {"coe-ets-112", "inter-american-1993", "eu-fd-2008-909"} <= official
    assert catalog.authorities["inter-american-1993"].title_es.text == (  # type: ignore[union-attr]
        "Convención Interamericana para el Cumplimiento de Condenas Penales en el Extranjero"
    )


def test_every_shipped_rule_describes_itself_in_spanish_too() -> None:
    for owner, rule in _rules():
        assert rule.description_es, f"{owner.id}/{rule.id}"
        assert rule.description_es != rule.description, f"{owner.id}/{rule.id}"
