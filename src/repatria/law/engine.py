"""The engine: assesses a document under its authority's rules, as of the document's date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from repatria.law import AUTHORITY_IDS
from repatria.law.catalog import LawCatalog, load_catalog
from repatria.law.checks import CHECKS
from repatria.law.checks.exceptions import with_exceptions
from repatria.law.checks.vocabulary import WHEN
from repatria.law.document import AssessmentDocument
from repatria.law.expr import Env, run
from repatria.law.facts import ContextFacts
from repatria.law.language import ENGLISH, Language, Words, day_in
from repatria.law.schema import Authority, Fact, Rule, RuleSet
from repatria.law.values import ValueInForce, value_on
from repatria.law.verdict import Check, Verdict


@dataclass(frozen=True)
class RuleContext:
    """What a rule is assessed against: the document, its authority, the law, database facts."""

    document: AssessmentDocument
    authority: Authority
    env: Env


_NO_VALUE = Words(
    "no value of {name} is in force on {on}", "ningún valor de {name} está en vigor el {on}"
)


def _resolve(
    rule: Rule,
    owner: RuleSet,
    authority: Authority,
    doc: AssessmentDocument,
    language: Language = ENGLISH,
) -> dict[str, ValueInForce] | str:
    values = {}
    for argument, name in rule.params.items():
        parameter = authority.parameters.get(name) or owner.parameters[name]
        found = value_on(name, parameter, doc.as_of, (doc.from_state, doc.to_state))
        if found is None:
            return _NO_VALUE(language).format(name=name, on=day_in(language, doc.as_of))
        values[argument] = found
    return values


def _evaluate(rule: Rule, owner: RuleSet, ctx: RuleContext) -> Check:
    citation = rule.citation.render()
    language = ctx.env.language
    resolved = _resolve(rule, owner, ctx.authority, ctx.document, language)
    rule_id = f"{owner.id}/{rule.id}"
    if isinstance(resolved, str):
        return Check(rule_id, rule.ground, "unknown", resolved, citation)
    params = {argument: found.value for argument, found in resolved.items()}
    decision = CHECKS[rule.check].decision(params, ctx.authority)
    if ctx.document.exceptions:  # without any, the wrapper changes nothing
        decision = with_exceptions(decision, rule, rule_id)
    outcome, reason = run(decision, ctx.env)
    if resolved:
        citation += "; " + "; ".join(found.cite() for found in resolved.values())
    facts: list[Fact] = [rule, *(found.entry for found in resolved.values())]
    return Check(
        rule_id,
        rule.ground,
        outcome,  # type: ignore[arg-type]
        reason + _caveats(facts, language),
        citation,
        verified=all(fact.verified for fact in facts),
        basis=_basis(facts),
    )


def _basis(facts: list[Fact]) -> str:
    """Law, unless the rule or a value it used is agency policy (or a project default)."""
    kinds = {fact.basis for fact in facts}
    return "policy" if "policy" in kinds else "project" if "project" in kinds else "law"


_UNVERIFIED = Words(
    "relies on law data not verified against its text",
    "se apoya en datos jurídicos no verificados contra su texto",
)
_POLICY = Words(
    "agency policy, not statute or court order",
    "política de una dependencia, no ley ni resolución judicial",
)


def _caveats(facts: list[Fact], language: Language = ENGLISH) -> str:
    """Words a reason gains when it rests on something short of verified law."""
    notes = []
    if any(not fact.verified for fact in facts):
        notes.append(_UNVERIFIED(language))
    if any(fact.basis == "policy" for fact in facts):
        notes.append(_POLICY(language))
    return f" [{'; '.join(notes)}]" if notes else ""


def _checks(catalog: LawCatalog, authority: Authority, ctx: RuleContext) -> list[Check]:
    return [
        _evaluate(rule, owner, ctx)
        for owner, rule in catalog.rules_for(authority.id)
        if WHEN[rule.when].evaluate(ctx.env) is True
    ]


def authority_alone(checks: list[Check]) -> list[Check]:
    """Where the authority does not govern the movement, that alone is the answer: the
    AUTHORITY checks, without the cascade of the conditions that would apply under it."""
    if any(check.ground == "AUTHORITY" and check.outcome == "fail" for check in checks):
        return [check for check in checks if check.ground == "AUTHORITY"]
    return checks


def _removal_basis(catalog: LawCatalog, authority: Authority, ctx: RuleContext) -> list[Check]:
    # A custody transfer is lawful only if removal to the host is: run that authority's rules.
    for owner, rule in catalog.rules_for(authority.id):
        if rule.check == "removal-basis":
            resolved = _resolve(rule, owner, authority, ctx.document)
            if isinstance(resolved, str):
                return []
            allowed = resolved["allowed"].value
            chosen = ctx.document.removal_authority or allowed[0]
            if chosen in allowed and chosen in catalog.authorities:
                base = catalog.authorities[chosen]
                return _checks(catalog, base, RuleContext(ctx.document, base, ctx.env))
    return []


def _deadlines(authority: Authority, doc: AssessmentDocument) -> dict[str, Any]:
    starts = {
        "request_received_on": doc.request_received_on,
        "receiving_state_approval": doc.approvals.receiving_state if doc.approvals else None,
    }
    due: dict[str, str] = {}
    for name, parameter in authority.parameters.items():
        start: date | None = starts.get(parameter.deadline_from or "")
        found = value_on(name, parameter, doc.as_of, ()) if parameter.deadline_from else None
        if start is not None and found is not None:
            due[name] = (start + timedelta(days=int(found.value))).isoformat()
    return {"deadlines": due} if due else {}


_UNKNOWN_AUTHORITY = Words(
    "unknown authority {authority!r}; known: {known}",
    "instrumento desconocido {authority!r}; se conocen: {known}",
)


def _unknown_authority(
    catalog: LawCatalog, doc: AssessmentDocument, language: Language = ENGLISH
) -> Verdict:
    added = [name for name in catalog.authorities if name not in AUTHORITY_IDS]
    known = ", ".join([*AUTHORITY_IDS, *added])
    reason = _UNKNOWN_AUTHORITY(language).format(authority=doc.authority, known=known)
    check = Check("authority/known", "AUTHORITY", "fail", reason, "Repatria assessment contract")
    return Verdict(doc.authority, doc.as_of, (check,))


def assess(
    document: AssessmentDocument,
    facts: ContextFacts | None = None,
    catalog: LawCatalog | None = None,
    *,
    language: Language = ENGLISH,
) -> Verdict:
    """The verdict on a document: every applicable rule checked as of the document's date,
    under this installation's law (or the `catalog` given: with approved amendments, or as
    known on a day). `language` ("en" or "es") is the language of the reasons; outcomes,
    grounds, rule ids and citations are the same in every language (a citation keeps the
    language of the text cited)."""
    catalog = catalog or load_catalog()
    authority = catalog.authorities.get(document.authority)
    if authority is None:
        return _unknown_authority(catalog, document, language)
    env = Env(document, facts or ContextFacts(), catalog, language=language)
    ctx = RuleContext(document, authority, env)
    checks = _checks(catalog, authority, ctx)
    if authority.kind == "custody":
        checks += _removal_basis(catalog, authority, ctx)
    checks = authority_alone(checks)
    extras = {**_deadlines(authority, document), **_contested(catalog, authority, document)}
    return Verdict(authority.id, document.as_of, tuple(checks), extras)


def _contested(
    catalog: LawCatalog, authority: Authority, document: AssessmentDocument
) -> dict[str, Any]:
    """The rulings that enjoin the authority (or the removal one a custody transfer relies on)
    or hold it unlawful, decided by as_of: every verdict under it carries them."""
    sources = [authority]
    if authority.kind == "custody" and document.removal_authority in catalog.authorities:
        sources.append(catalog.authorities[document.removal_authority])
    rulings = [
        {
            "authority": source.id,
            "court": ruling.court,
            "decided_on": ruling.decided_on.isoformat(),
            "holding": " ".join(ruling.holding.split()),
            "citation": ruling.citation.render(),
        }
        for source in sources
        for ruling in source.contested
        if ruling.decided_on <= document.as_of
    ]
    return {"contested": rulings} if rulings else {}
