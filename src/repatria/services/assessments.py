"""Assessing proposed movements through the legal engine, storing and replaying verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from repatria import law
from repatria.domain.access import Action, require, sees_states
from repatria.domain.accounts import Principal
from repatria.domain.assessments import Assessment
from repatria.domain.errors import InvalidInput, NotFound, PermissionDenied
from repatria.i18n import N_
from repatria.law.document import AssessmentDocument, parse_document
from repatria.law.engine import assess
from repatria.law.errors import InvalidDocument
from repatria.law.language import Language
from repatria.services import custody, law_in_force
from repatria.services.unit_of_work import UnitOfWork, utcnow

EXAMPLE: dict[
    str, Any
] = {  # a complete US-to-Mexico transfer application, allowed as of 11 April 2025
    "authority": "us-mx-1976",
    "from": "US",
    "to": "MX",
    "as_of": "2025-04-11",
    "request_received_on": "2024-06-01",
    "person": {
        "birth_date": "1984-02-10",
        "citizenships": ["MX"],
        "competent": True,
        "years_in_sending_state": 3,
        "intends_to_remain": False,
    },
    "sentence": {
        "offense_category": "drug_trafficking",
        "dual_criminality": True,
        "start_date": "2019-01-15",
        "length_days": 3650,
        "credit_days": 0,
        "final": True,
        "appeal_pending": False,
        "collateral_attack_pending": False,
        "other_charges_pending": False,
        "state_prisoner": False,
    },
    "consent": {
        "given_by": "person",
        "verified_on": "2025-02-03",
        "verified_by": "magistrate_judge",
        "opinion_recorded": True,
    },
    "approvals": {"sending_state": "2025-01-10", "receiving_state": "2025-03-01"},
}


def evaluate(document: dict[str, Any], facts: law.ContextFacts | None = None) -> dict[str, Any]:
    """The verdict on a raw document; an invalid one raises InvalidInput naming the field."""
    return assess(_parsed(document), facts).to_json()


def _parsed(document: dict[str, Any]) -> AssessmentDocument:
    try:
        return parse_document(document)
    except InvalidDocument as exc:
        raise InvalidInput(exc.field, exc.template, **exc.params) from None


@dataclass(frozen=True)
class Foresight:
    """A verdict worked out ahead of the transaction that stores it, from what was read then.

    `record` takes it as its own answer only when the document and context facts it reads
    inside its transaction are equal to these and the law data is the same, so what it stores
    is always the engine's verdict on what the transaction read: the engine is a function of
    them alone. On SQLite a command's whole transaction holds the database's one write lock;
    a step whose verdict was foreseen leaves the engine's work out of it (docs/architecture.md).
    """

    document: dict[str, Any]
    parsed: AssessmentDocument
    facts: law.ContextFacts | None
    verdict: dict[str, Any]
    law_digest: str


def foresee(uow: UnitOfWork, document: dict[str, Any], *, case_id: int | None) -> Foresight:
    """The verdict `record` would give this document now, read through `uow`, not stored."""
    parsed = _parsed(document)
    facts = custody.context_facts_of(uow, parsed, case_id)
    catalog = law_in_force.catalog_of(uow)
    verdict = assess(parsed, facts, catalog).to_json()
    return Foresight(document, parsed, facts, verdict, catalog.digest)


def record(
    uow: UnitOfWork,
    principal: Principal,
    document: dict[str, Any],
    *,
    case_id: int | None = None,
    facts: law.ContextFacts | None = None,
    check_role: bool = True,
    foreseen: Foresight | None = None,
    as_known_on: date | None = None,
) -> Assessment:
    """Assess a document and store the verdict with the engine version and law digest.

    Case transitions pass check_role=False: the step's own role rule applies instead. A
    `foreseen` verdict is used only if its document, facts and law are the ones read here."""
    assessment = judge(
        uow,
        principal,
        document,
        case_id=case_id,
        facts=facts,
        check_role=check_role,
        foreseen=foreseen,
        as_known_on=as_known_on,
    )
    return store(uow, assessment)


def store(uow: UnitOfWork, assessment: Assessment) -> Assessment:
    """Store a judged assessment; it then has its id."""
    uow.cases.add_assessment(assessment)
    return assessment


def judge(
    uow: UnitOfWork,
    principal: Principal,
    document: dict[str, Any],
    *,
    case_id: int | None = None,
    facts: law.ContextFacts | None = None,
    check_role: bool = True,
    foreseen: Foresight | None = None,
    as_known_on: date | None = None,
) -> Assessment:
    """The assessment `record` stores, not yet stored (its id is None): for a caller that
    stores it later (`store`), or not at all. `as_known_on`: the verdict Repatria would have
    given on that day, by the law it knew then."""
    if check_role:
        require(principal, Action.ASSESS)
    same_document = foreseen is not None and foreseen.document == document
    parsed = foreseen.parsed if foreseen is not None and same_document else _parsed(document)
    if check_role and principal.state not in (parsed.from_state, parsed.to_state):
        # A stored assessment is read by both states of the movement: only they record one.
        raise PermissionDenied(
            N_(
                "only %(sending)s or %(receiving)s, the states of the movement,"
                " record an assessment of it"
            ),
            sending=parsed.from_state,
            receiving=parsed.to_state,
        )
    if facts is None:  # a custody agreement's contract and free place are read from the database
        facts = custody.context_facts_of(uow, parsed, case_id)
    # The law in force: shipped, local and approved amendments (or as known on a day).
    catalog = law_in_force.catalog_of(uow, known_on=as_known_on)
    if (
        foreseen is not None
        and same_document
        and foreseen.facts == facts
        and foreseen.law_digest == catalog.digest
    ):
        verdict = foreseen.verdict
    else:
        verdict = assess(parsed, facts, catalog).to_json()
    if as_known_on is not None:
        verdict["as_known_on"] = as_known_on.isoformat()
    states = sorted({str(document["from"]), str(document["to"])})
    assessment = Assessment(
        requested_at=utcnow(),
        authority=str(document["authority"]),
        from_state=str(document["from"]),
        to_state=str(document["to"]),
        as_of=parsed.as_of,
        allowed=bool(verdict["allowed"]),
        document=document,
        verdict=verdict,
        engine_version=law.ENGINE_VERSION,
        law_digest=catalog.digest,
        states=states,
        requested_by=principal.user_id,
        case_id=case_id,
        context_facts=custody.stored(facts),
    )
    return assessment


def get_or_raise(uow: UnitOfWork, principal: Principal, assessment_id: int) -> Assessment:
    """A stored assessment involving the principal's state (404 otherwise)."""
    assessment = uow.cases.assessment(assessment_id)
    if assessment is None or not sees_states(principal, assessment.states):
        raise NotFound("assessment", assessment_id)
    return assessment


@dataclass(frozen=True)
class Replay:
    """A stored assessment run again on today's engine and law, and under the law it recorded.

    The law it recorded is rebuilt as this installation knew it on the day of the assessment
    (the shipped law's entries learned by then and the amendments in effect then); its digest
    says whether that is exactly the law the assessment was made under. It is not when the
    shipped law changed in a release without dating what it learned (`known_from`)."""

    original: Assessment
    verdict: dict[str, Any]
    engine_version: str
    law_digest: str
    then_verdict: dict[str, Any]
    then_digest: str

    @property
    def same_verdict(self) -> bool:
        """True when today's engine reaches exactly the stored verdict."""
        return self.verdict == self.original.verdict

    @property
    def law_changed(self) -> bool:
        """True when the law data differs from what the original assessment used."""
        return self.law_digest != self.original.law_digest

    @property
    def engine_changed(self) -> bool:
        """True when the engine version differs from the original's."""
        return self.engine_version != self.original.engine_version

    @property
    def recorded_law_rebuilt(self) -> bool:
        """True when the law as known on the assessment's day is the law it recorded."""
        return self.then_digest == self.original.law_digest

    @property
    def reproduces_under_recorded_law(self) -> bool | None:
        """Whether today's engine, under the law the assessment recorded, reaches its verdict
        (None when that law can no longer be rebuilt here)."""
        if not self.recorded_law_rebuilt:
            return None
        return _bare(self.then_verdict) == _bare(self.original.verdict)

    def explanation(self) -> str:
        """Whether the decision reproduces today, and under the law it recorded."""
        changed = [
            name
            for name, flag in (
                ("the law data", self.law_changed),
                ("the engine", self.engine_changed),
            )
            if flag
        ]
        since = f"; {' and '.join(changed)} changed since" if changed else ""
        if self.same_verdict:
            today = "reproduced exactly" + since
        else:
            today = "the verdict differs from the stored one" + (since or " (same law and engine)")
        if not self.law_changed:
            return today
        then = self.reproduces_under_recorded_law
        if then is None:
            return today + "; the law it recorded can no longer be rebuilt here"
        if then:
            return today + "; under the law it recorded, reproduced exactly"
        return today + "; under the law it recorded, the verdict differs"


def _bare(verdict: dict[str, Any]) -> dict[str, Any]:
    """A verdict without the stamp of the day the law was known on (the same decision)."""
    return {key: value for key, value in verdict.items() if key != "as_known_on"}


def replay(uow: UnitOfWork, principal: Principal, assessment_id: int) -> Replay:
    """Re-run a stored assessment on today's law, and on the law as it was known the day it
    was made (the law it recorded, where that can be rebuilt); says what reproduces."""
    original = get_or_raise(uow, principal, assessment_id)
    catalog = law_in_force.catalog_of(uow)
    facts = custody.restored(original.context_facts)
    parsed = _parsed(original.document)
    known = original.verdict.get("as_known_on")
    day = date.fromisoformat(known) if isinstance(known, str) else original.requested_at.date()
    then = law_in_force.catalog_of(uow, known_on=day)
    return Replay(
        original=original,
        verdict=assess(parsed, facts, catalog).to_json(),
        engine_version=law.ENGINE_VERSION,
        law_digest=catalog.digest,
        then_verdict=assess(parsed, facts, then).to_json(),
        then_digest=then.digest,
    )


def in_language(uow: UnitOfWork, assessment: Assessment, language: Language) -> dict[str, Any]:
    """Today's verdict on a stored assessment's document and facts, with its reasons in
    `language` (the record itself keeps the verdict as it was made, in English)."""
    catalog = law_in_force.catalog_of(uow)
    facts = custody.restored(assessment.context_facts)
    parsed = _parsed(assessment.document)
    return assess(parsed, facts, catalog, language=language).to_json()


def worded(verdict: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`other` where it is `verdict` in other words (every outcome, ground, rule and citation
    alike, only the reasons differ), else `verdict` as it is: a reader of another language
    never gets a verdict other than the one on record."""

    def bare(found: dict[str, Any]) -> dict[str, Any]:
        checks = [{**check, "reason": None} for check in found.get("checks", [])]
        return {**found, "checks": checks}

    return other if bare(other) == bare(verdict) else verdict
