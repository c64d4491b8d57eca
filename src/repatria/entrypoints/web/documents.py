"""Printable documents as PDF: a case summary with its legal basis, a consent verification
record and a movement manifest, each with the signed checkpoint that covers it."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Response

from repatria.domain.errors import NotFound
from repatria.entrypoints.web import consent_record as bilingual
from repatria.entrypoints.web import pdf
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.event_names import event_name
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.vocabulary import words
from repatria.i18n import current_language, format_date, format_datetime
from repatria.i18n import gettext as _
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
    """The instrument's title in the reader's language (its official Spanish title where one
    was read), its id and its citation (which keeps the language of the text cited)."""
    try:
        found = load_catalog().authorities.get(authority_id)
    except LawDataError:
        return authority_id
    if found is None:
        return authority_id
    title = found.title
    if current_language() == "es" and found.title_es is not None:
        title = found.title_es.text
    return f"{title} ({authority_id}; {found.citation.render()})"


def _written(iso_day: str) -> str:
    """A day as people write it (11 April 2025, in the reader's language)."""
    return format_date(date.fromisoformat(iso_day), "long") if iso_day else _("unknown")


def _covered(uow: UnitOfWork, seq: int | None) -> list[Any]:
    return pdf.checkpoint_section(
        views.covering_checkpoint(uow, seq), seq, views.latest_checkpoint(uow)
    )


def _person_facts(person: Any) -> list[tuple[str, object]]:
    nationality = ", ".join(c.country for c in person.citizenships) or _("none recorded")
    return [
        (_("Person"), f"{person.family_name}, {person.given_names}"),
        (_("Born"), format_date(person.birth_date, "long") if person.birth_date else _("unknown")),
        (_("Nationality"), nationality),
        (_("Held by"), person.held_by_state),
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
                (_("Reference"), case.reference),
                *_person_facts(records.person),
                (_("Authority"), _authority_title(case.authority)),
                (_("From → to"), f"{case.from_state} → {case.to_state}"),
                (_("State"), words(case.state)),
                (_("Opened"), format_date(case.opened_at, "long")),
            ]
        ),
        pdf.heading(_("Legal basis")),
    ]
    if assessment is None:
        body.append(pdf.text(_("No assessment is stored yet: the case has taken no step.")))
    else:
        verdict = assessment.verdict
        outcome = _("allowed") if verdict.get("allowed") else _("not allowed")
        body.append(
            pdf.text(
                _(
                    "Assessment %(id)s under %(authority)s as of %(day)s: %(outcome)s. Engine "
                    "%(version)s, law data digest %(digest)s.",
                    id=assessment.id,
                    authority=assessment.authority,
                    day=format_date(assessment.as_of, "long"),
                    outcome=outcome,
                    version=assessment.engine_version,
                    digest=assessment.law_digest,
                )
            )
        )
        rows = [
            (c["rule"], c["ground"], words(c["outcome"]), c["reason"], c["citation"])
            for c in verdict.get("checks", [])
        ]
        body.append(
            pdf.grid(
                (_("Rule"), _("Ground"), _("Outcome"), _("Reason"), _("Citation")),
                rows,
                pdf.mm_widths(34, 28, 15, 43, 60),
            )
        )
    if records.decisions:
        body.append(pdf.heading(_("Decisions of the states")))
        names = views.user_names(uow, {d.decided_by for d in records.decisions})
        body.append(
            pdf.grid(
                (_("State"), _("Decision"), _("On"), _("By"), _("Reasons")),
                [
                    (
                        d.state,
                        words(d.kind),
                        format_date(d.decided_on),
                        names.get(d.decided_by or 0, ""),
                        d.reasons,
                    )
                    for d in records.decisions
                ],
                pdf.mm_widths(12, 18, 22, 48, 80),
            )
        )
    body.append(pdf.heading(_("Timeline")))
    body.append(
        pdf.grid(
            (_("When"), _("Event"), _("By"), _("Reasons"), _("Legal basis")),
            [
                (
                    format_datetime(e.occurred_at),
                    event_name(e.command)[:1].upper() + event_name(e.command)[1:],
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
    subtitle = f"{case.authority} · {case.from_state} → {case.to_state} · {words(case.state)}"
    title = _("Case summary %(reference)s", reference=case.reference)
    content = pdf.build(title, subtitle, body)
    return _pdf(content, f"case-{case.reference}.pdf")


@router.get("/cases/{case_id}/consent.pdf")
def consent_record(case_id: RecordId, uow: Uow, principal: User) -> Response:
    """The record of the consent verification hearing (18 U.S.C. §§ 4107-4109)."""
    case = cases.get_or_raise(uow, principal, case_id)
    records = case_documents.load_records(uow, case)
    if not records.consents:
        raise NotFound("consent verification of case", case.reference)
    names = views.user_names(uow, {c.recorded_by for c in records.consents})
    person = records.person
    # Spanish beside English: the person consenting must understand what they consent to.
    body: list[Any] = [
        bilingual.side_by_side(
            [
                lambda: (_("Case"), case.reference),
                lambda: (_("Person"), f"{person.family_name}, {person.given_names}"),
                lambda: (_("Authority"), _authority_title(case.authority)),
            ]
        )
    ]
    for hearing in records.consents:
        body += bilingual.hearing_section(hearing, names.get(hearing.recorded_by or 0, ""))
    verified = [e for e in transitions.timeline(uow, case_id) if e.command == "CaseConsentVerified"]
    seq = verified[-1].seq if verified else None
    body += _covered(uow, seq)
    content = pdf.build(bilingual.title_of(case.reference), bilingual.subtitle(), body)
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
                (_("Movement"), movement.label),
                (_("Authority"), _authority_title(movement.authority)),
                (_("From → to"), f"{movement.from_state} → {movement.to_state}"),
                (_("Planned departure"), format_datetime(movement.planned_departure, "long")),
                (_("Departed"), format_datetime(movement.departed_at, "long")),
                (_("Arrived"), format_datetime(movement.arrived_at, "long")),
                (_("State"), words(movement.state)),
                (_("Aboard"), _("%(n)s of %(seats)s seats", n=aboard, seats=movement.seats)),
            ]
        ),
        pdf.heading(_("Manifest")),
        pdf.grid(
            (
                _("Case"),
                _("Family name"),
                _("Given names"),
                _("Born"),
                _("Status"),
                _("Legal basis"),
                _("Taken off"),
            ),
            [
                (
                    r["case"],
                    r["family_name"],
                    r["given_names"],
                    _written(r["birth_date"]),
                    words(r["status"]),
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
            (_("Handed over by the escorting officer"), movement.from_state),
            (_("Received by the receiving officer"), movement.to_state),
        ]
    )
    last = views.last_event(uow, "movement", movement_id)
    body += _covered(uow, last.seq if last else None)
    title = _("Manifest %(label)s", label=movement.label)
    content = pdf.build(title, _("Movement manifest"), body)
    name = f"manifest-{movement.authority}-{movement.from_state}-{movement.to_state}-"
    return _pdf(content, f"{name}{movement.sequence}.pdf")
