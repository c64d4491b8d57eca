"""Printable documents as PDF: a case summary with its legal basis, a consent verification
record and a movement manifest, each with the signed checkpoint that covers it."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Response

from repatria.domain.errors import NotFound
from repatria.entrypoints.web import pdf
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.routing import web_router
from repatria.i18n import format_date, format_datetime
from repatria.law.catalog import load_catalog
from repatria.law.errors import LawDataError
from repatria.services import case_documents, cases, movements, transitions, views
from repatria.services.unit_of_work import UnitOfWork

router = web_router()


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _authority_title(authority_id: str) -> str:
    try:
        found = load_catalog().authorities.get(authority_id)
    except LawDataError:
        return authority_id
    if found is None:
        return authority_id
    return f"{found.title} ({authority_id}; {found.citation.render()})"


def _written(iso_day: str) -> str:
    """A day as people write it (11 April 2025, in the reader's language)."""
    return format_date(date.fromisoformat(iso_day), "long") if iso_day else "unknown"


def _covered(uow: UnitOfWork, seq: int | None) -> list[Any]:
    return pdf.checkpoint_section(
        views.covering_checkpoint(uow, seq), seq, views.latest_checkpoint(uow)
    )


def _person_facts(person: Any) -> list[tuple[str, object]]:
    nationality = ", ".join(c.country for c in person.citizenships) or "none recorded"
    return [
        ("Person", f"{person.family_name}, {person.given_names}"),
        ("Born", person.birth_date.isoformat() if person.birth_date else "unknown"),
        ("Nationality", nationality),
        ("Held by", person.held_by_state),
    ]


@router.get("/cases/{case_id}/summary.pdf")
def case_summary(case_id: RecordId, uow: Uow, principal: User) -> Response:
    """The case, its current legal basis check by check, its decisions and its timeline."""
    case = cases.get_or_raise(uow, principal, case_id)
    records = case_documents.load_records(uow, case)
    assessment = views.latest_assessment(uow, case_id)
    events = transitions.timeline(uow, case_id)
    body: list[Any] = [
        pdf.facts(
            [
                ("Reference", case.reference),
                *_person_facts(records.person),
                ("Authority", _authority_title(case.authority)),
                ("From → to", f"{case.from_state} → {case.to_state}"),
                ("State", case.state.value.replace("_", " ")),
                ("Opened", case.opened_at.date().isoformat()),
            ]
        ),
        pdf.heading("Legal basis"),
    ]
    if assessment is None:
        body.append(pdf.text("No assessment is stored yet: the case has taken no step."))
    else:
        verdict = assessment.verdict
        outcome = "allowed" if verdict.get("allowed") else "not allowed"
        body.append(
            pdf.text(
                f"Assessment {assessment.id} under {assessment.authority} as of "
                f"{assessment.as_of}: {outcome}. Engine {assessment.engine_version}, law data "
                f"digest {assessment.law_digest}."
            )
        )
        rows = [
            (c["rule"], c["ground"], c["outcome"], c["reason"], c["citation"])
            for c in verdict.get("checks", [])
        ]
        body.append(
            pdf.grid(
                ("Rule", "Ground", "Outcome", "Reason", "Citation"),
                rows,
                pdf.mm_widths(34, 28, 15, 43, 60),
            )
        )
    if records.decisions:
        body.append(pdf.heading("Decisions of the states"))
        names = views.user_names(uow, {d.decided_by for d in records.decisions})
        body.append(
            pdf.grid(
                ("State", "Decision", "On", "By", "Reasons"),
                [
                    (
                        d.state,
                        d.kind.value,
                        d.decided_on.isoformat(),
                        names.get(d.decided_by or 0, ""),
                        d.reasons,
                    )
                    for d in records.decisions
                ],
                pdf.mm_widths(12, 18, 22, 48, 80),
            )
        )
    body.append(pdf.heading("Timeline"))
    body.append(
        pdf.grid(
            ("When", "Event", "By", "Reasons", "Legal basis"),
            [
                (
                    e.occurred_at.strftime("%Y-%m-%d %H:%M"),
                    e.command,
                    e.actor,
                    e.reason,
                    e.legal_basis,
                )
                for e in events
            ],
            pdf.mm_widths(28, 38, 30, 36, 48),
        )
    )
    last = views.last_event(uow, "case", case_id)
    body += _covered(uow, last.seq if last else None)
    subtitle = f"{case.authority} · {case.from_state} → {case.to_state} · {case.state.value}"
    content = pdf.build(f"Case summary {case.reference}", subtitle, body)
    return _pdf(content, f"case-{case.reference}.pdf")


ADVISEMENTS = {
    "only_us_courts_may_modify_or_set_aside": "Only US courts may modify or set aside the "
    "conviction or sentence (18 U.S.C. § 4107(b)(1))",
    "sentence_carried_out_under_receiving_law": "The sentence will be carried out under the "
    "receiving state's law (§ 4107(b)(2))",
    "may_be_returned_if_transfer_found_unlawful": "The person may be returned if the "
    "transfer is found unlawful (§ 4107(b)(3))",
    "consent_once_verified_is_irrevocable": "Consent, once verified, is irrevocable (§ 4107(b)(4))",
}


@router.get("/cases/{case_id}/consent.pdf")
def consent_record(case_id: RecordId, uow: Uow, principal: User) -> Response:
    """The record of the consent verification hearing (18 U.S.C. §§ 4107-4109)."""
    case = cases.get_or_raise(uow, principal, case_id)
    records = case_documents.load_records(uow, case)
    if not records.consents:
        raise NotFound("consent verification of case", case.reference)
    names = views.user_names(uow, {c.recorded_by for c in records.consents})
    body: list[Any] = [
        pdf.facts(
            [
                ("Case", case.reference),
                *_person_facts(records.person),
                ("Authority", _authority_title(case.authority)),
            ]
        )
    ]
    for hearing in records.consents:
        body.append(pdf.heading(f"Hearing of {hearing.verified_on.isoformat()}"))
        body.append(
            pdf.facts(
                [
                    ("Verifying officer", hearing.verifier_name),
                    ("Capacity", hearing.verifier_role.value.replace("_", " ")),
                    ("Counsel", hearing.counsel),
                    ("Consent given by", hearing.given_by.value),
                    ("Answer", "consents" if hearing.consents else "does not consent"),
                    ("Opinion recorded", "yes" if hearing.opinion_recorded else "no"),
                    ("Recording reference", hearing.recording_reference),
                    ("Recorded by", names.get(hearing.recorded_by or 0, "")),
                ]
            )
        )
        body.append(
            pdf.grid(
                ("Advisement", "Given"),
                [
                    (ADVISEMENTS.get(name, name), "yes" if given else "NO")
                    for name, given in sorted(hearing.advisements.items())
                ],
                pdf.mm_widths(140, 40),
            )
        )
        missing = hearing.missing_advisements()
        if missing:
            body.append(pdf.text("Advisements not recorded as given: " + ", ".join(missing)))
    verified = [e for e in transitions.timeline(uow, case_id) if e.command == "CaseConsentVerified"]
    seq = verified[-1].seq if verified else None
    body += _covered(uow, seq)
    content = pdf.build(
        f"Consent verification record {case.reference}",
        "18 U.S.C. §§ 4107-4109: verification of consent to transfer",
        body,
    )
    return _pdf(content, f"consent-{case.reference}.pdf")


@router.get("/movements/{movement_id}/manifest.pdf")
def manifest(movement_id: RecordId, uow: Uow, principal: User) -> Response:
    """The manifest: who is aboard, who was taken off and why, with the legal basis."""
    movement = movements.get_or_raise(uow, principal, movement_id)
    rows = movements.manifest_rows(uow, movement)
    aboard = sum(1 for r in rows if r["status"] == "aboard")
    body: list[Any] = [
        pdf.facts(
            [
                ("Movement", movement.label),
                ("Authority", _authority_title(movement.authority)),
                ("From → to", f"{movement.from_state} → {movement.to_state}"),
                ("Planned departure", format_datetime(movement.planned_departure, "long")),
                ("Departed", format_datetime(movement.departed_at, "long")),
                ("Arrived", format_datetime(movement.arrived_at, "long")),
                ("State", movement.state.value.replace("_", " ")),
                ("Aboard", f"{aboard} of {movement.seats} seats"),
            ]
        ),
        pdf.heading("Manifest"),
        pdf.grid(
            ("Case", "Family name", "Given names", "Born", "Status", "Legal basis", "Taken off"),
            [
                (
                    r["case"],
                    r["family_name"],
                    r["given_names"],
                    _written(r["birth_date"]),
                    r["status"],
                    r["legal_basis"],
                    r["removed_reason"],
                )
                for r in rows
            ],
            pdf.mm_widths(32, 28, 22, 20, 16, 24, 38),
        ),
    ]
    body += pdf.signature_blocks(
        [
            ("Handed over by the escorting officer", movement.from_state),
            ("Received by the receiving officer", movement.to_state),
        ]
    )
    last = views.last_event(uow, "movement", movement_id)
    body += _covered(uow, last.seq if last else None)
    content = pdf.build(f"Manifest {movement.label}", "Movement manifest", body)
    name = f"manifest-{movement.authority}-{movement.from_state}-{movement.to_state}-"
    return _pdf(content, f"{name}{movement.sequence}.pdf")
