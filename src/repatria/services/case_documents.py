"""Builds the public assessment document (shared/DESIGN.md §4) from what the database holds
about a case, so that every transition is judged by the same engine as `repatria assess`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from repatria.domain.cases import Case
from repatria.domain.errors import NotFound
from repatria.domain.people import Person, Sentence
from repatria.domain.workflow import (
    ConsentVerification,
    Decision,
    DecisionKind,
    FearClaim,
    FearOutcome,
    Notice,
)
from repatria.services.unit_of_work import UnitOfWork

# Facts an officer may assert on a case, by their place in the document.
ASSERTABLE_FACTS = {
    "person.competent",
    "person.years_in_sending_state",
    "person.intends_to_remain",
    "person.fled_to_state_of_nationality",
    "sentence.dual_criminality",
    "sentence.other_charges_pending",
    "approvals.us_state",
    "person.member_of_designated_organisation",
    "removal_order.destination_accepts",
    "removal_order.assurances_relied_on",
    "removal_order.assurances_found_reliable",
}


@dataclass
class CaseRecords:
    """Everything the engine may need about one case, loaded by the caller."""

    case: Case
    person: Person
    facts: dict[str, Any] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    consents: list[ConsentVerification] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    fear_claims: list[FearClaim] = field(default_factory=list)
    request_received_on: date | None = None
    departure_at: datetime | None = None


def load_records(uow: UnitOfWork, case: Case) -> CaseRecords:
    """Everything the engine reads about a case (uow.cases.engine_records): domain objects
    read, never changed, through these records."""
    found = uow.cases.engine_records(case)
    if found is None:
        raise NotFound("people", case.person_id)
    return CaseRecords(
        case=case,
        person=found.person,
        facts=dict(case.facts or {}),
        decisions=found.decisions,
        consents=found.consents,
        notices=found.notices,
        fear_claims=found.fear_claims,
        request_received_on=case.request_received_on,
        departure_at=case.departure_at,
    )


def _current_sentence(person: Person) -> Sentence | None:
    return max(person.sentences, key=lambda s: s.start_date, default=None)


def _sentence(sentence: Sentence | None) -> dict[str, Any] | None:
    if sentence is None:
        return None
    return {
        "offense_category": sentence.offense_category.value,
        "start_date": sentence.start_date.isoformat(),
        "length_days": sentence.length_days,
        "credit_days": sentence.credit_days,
        "indeterminate": sentence.indeterminate,
        "death_sentence": sentence.death_sentence,
        "final": sentence.final,
        "appeal_pending": sentence.appeal_pending,
        "collateral_attack_pending": sentence.collateral_attack_pending,
        "state_prisoner": sentence.state_prisoner,
    }


def _approval_dates(records: CaseRecords) -> dict[str, Any]:
    latest: dict[str, Decision] = {}
    for decision in sorted(records.decisions, key=lambda d: (d.decided_on, d.id or 0)):
        latest[decision.state] = decision

    def approved_on(state: str) -> str | None:
        decision = latest.get(state)
        if decision is None or decision.kind is not DecisionKind.APPROVE:
            return None
        return decision.decided_on.isoformat()

    return {
        "sending_state": approved_on(records.case.from_state),
        "receiving_state": approved_on(records.case.to_state),
        "us_state": records.facts.get("approvals.us_state"),
    }


def _consent(records: CaseRecords) -> dict[str, Any] | None:
    given = [c for c in records.consents if c.consents and not c.missing_advisements()]
    if not given:
        return None
    latest = max(given, key=lambda c: (c.verified_on, c.id or 0))
    return {
        "given_by": latest.given_by.value,
        "verified_on": latest.verified_on.isoformat(),
        "verified_by": latest.verifier_role.value,
        "opinion_recorded": latest.opinion_recorded,
    }


# The engine's words for a decided claim (shared/DESIGN.md §4): protected is "granted".
ENGINE_FEAR_OUTCOMES = {FearOutcome.PROTECTED: "granted", FearOutcome.REJECTED: "denied"}


def _fear_claim(records: CaseRecords) -> dict[str, Any] | None:
    """Whether the person fears the destination: unknown (None) until they have been told of it
    by a notice, since nobody can be said not to fear a country they were never named."""
    claims = [c for c in records.fear_claims if c.country == records.case.to_state]
    if not claims:
        return {"raised": False, "outcome": None} if records.notices else None
    # Fear is of a country, whichever of the person's cases it was raised on: a grant protects,
    # and any claim still undecided holds the removal.
    outcomes = {c.outcome for c in claims}
    if FearOutcome.PROTECTED in outcomes:
        outcome: str | None = ENGINE_FEAR_OUTCOMES[FearOutcome.PROTECTED]
    elif None in outcomes:
        outcome = None
    else:
        outcome = ENGINE_FEAR_OUTCOMES[FearOutcome.REJECTED]
    return {"raised": True, "outcome": outcome, "country": records.case.to_state}


def build_document(records: CaseRecords, as_of: date) -> dict[str, Any]:
    """The assessment document for a case as of a date; absent facts stay absent (unknown)."""
    case, person = records.case, records.person
    document: dict[str, Any] = {
        "authority": case.authority,
        "from": case.from_state,
        "to": case.to_state,
        "as_of": as_of.isoformat(),
        "person": {
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "citizenships": person.nationalities_on(as_of),
        },
        "approvals": _approval_dates(records),
        "protection_orders": [
            {
                "kind": p.kind.value,
                "country": p.country,
                "issued_on": p.issued_on.isoformat(),
                "terminated_on": p.terminated_on.isoformat() if p.terminated_on else None,
            }
            for p in person.protection_orders
        ],
        "holds": [
            {
                "kind": h.kind.value,
                "issued_on": h.issued_on.isoformat(),
                "lifted_on": h.lifted_on.isoformat() if h.lifted_on else None,
            }
            for h in person.holds
        ],
    }
    if records.request_received_on:
        document["request_received_on"] = records.request_received_on.isoformat()
    sentence = _sentence(_current_sentence(person))
    if sentence is not None:
        document["sentence"] = sentence
    if (consent := _consent(records)) is not None:
        document["consent"] = consent
    if person.removal_orders:
        order = max(person.removal_orders, key=lambda o: (o.issued_on, o.id or 0))
        document["removal_order"] = {
            "final": order.final,
            "designated_countries": order.designated_countries,
        }
    if records.notices:
        notice = max(records.notices, key=lambda n: (n.served_at, n.id or 0))
        document["notice"] = {
            "served_at": notice.served_at.isoformat(),
            "explains_how_to_contest": notice.explains_how_to_contest,
            "language_understood": notice.language_understood,
            "country": notice.country,
        }
    if (fear := _fear_claim(records)) is not None:
        document["fear_claim"] = fear
    if records.departure_at:
        document["departure_at"] = records.departure_at.isoformat()
    for dotted, value in records.facts.items():
        section, _, name = dotted.partition(".")
        if dotted in ASSERTABLE_FACTS and section != "approvals":
            document.setdefault(section, {})[name] = value
    cleaned: dict[str, Any] = _without_nulls(document)
    return cleaned


def _without_nulls(value: Any) -> Any:
    # An absent fact is unknown; a null would claim to know it is nothing.
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
