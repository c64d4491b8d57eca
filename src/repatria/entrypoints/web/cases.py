"""Case pages: the list with filters and paging, opening a case, and one case with its
assessment, timeline and the steps the user may take (their forms post to transitions.py,
consent.py, case_facts.py, notices.py and fear_claims.py)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Query, Request, Response

from repatria.domain.accounts import Principal, Role
from repatria.domain.cases import Case, CaseState
from repatria.domain.lifecycle import Track, available, track_of
from repatria.domain.transitions import APPROVALS, may_take, prepared_it
from repatria.domain.workflow import REQUIRED_ADVISEMENTS, ConsentGiver, FearOutcome, VerifierRole
from repatria.entrypoints.web.deps import PAGE_SIZE, Page, RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, back_to
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.people import person_page  # where the form to open a case is
from repatria.entrypoints.web.plain_words import check_rows
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.stage import stage_of
from repatria.entrypoints.web.vocabulary import words
from repatria.i18n import N_, current_language
from repatria.i18n import format_date as day
from repatria.i18n import gettext as _
from repatria.law import AUTHORITY_IDS
from repatria.law.engine import assess
from repatria.law.errors import LawDataError
from repatria.services import (
    assessments,
    case_documents,
    cases,
    clock,
    deadlines,
    hindsight,
    law_in_force,
    transitions,
    views,
)
from repatria.services.case_documents import build_document
from repatria.services.commands import OpenCase
from repatria.services.exchange import peers
from repatria.services.unit_of_work import UnitOfWork

router = web_router()
DONE = {
    "opened": N_("The case was opened."),
    "facts": N_("The facts were recorded; the assessment below uses them."),
    "notice": N_("The notice was recorded."),
    "fear_claim": N_("The fear claim was recorded."),
    "consent": N_("Consent was verified at the hearing: the case is approved for transfer."),
    "consent_refused": N_(
        "The hearing was recorded: the person does not consent, so the application is withdrawn."
    ),
    "consent_incomplete": N_(
        "The hearing was recorded but consent is not verified: an "
        "advisement the law requires was not given (see the records on the case below). Hold "
        "the hearing again with every advisement."
    ),
    "consent_not_approved": N_(
        "The hearing was recorded, but the case is not approved: a check "
        "still stops it (see the assessment below)."
    ),
}
# The reviewer's three steps, told apart: preparing recommends, approving agrees, denying ends.
EXPLAIN = {
    "prepare": N_(
        "Prepare: record the decision you recommend, with its reasons. Another reviewer "
        "of your state then approves or denies it (four eyes); preparing decides nothing."
    ),
    "approve": N_(
        "Approve: your state agrees to the transfer, and the case moves on to the next "
        "stage. The other state still decides for itself."
    ),
    "deny": N_(
        "Deny: your state refuses the transfer. The case ends for good and cannot be "
        "reopened; your reasons go on the record both states read. You confirm on the next "
        "page."
    ),
}
ADVISEMENT_LABELS = {
    "only_us_courts_may_modify_or_set_aside": N_(
        "Only US courts may modify or set aside the conviction or sentence (§ 4107(b)(1))"
    ),
    "sentence_carried_out_under_receiving_law": N_(
        "The sentence will be carried out under the receiving state's law (§ 4107(b)(2))"
    ),
    "may_be_returned_if_transfer_found_unlawful": N_(
        "The person may be returned if the transfer is found unlawful (§ 4107(b)(3))"
    ),
    "consent_once_verified_is_irrevocable": N_(
        "Consent, once verified, is irrevocable (§ 4107(b)(4))"
    ),
}


@router.get("/cases")
def case_list(
    request: Request,
    uow: Uow,
    principal: User,
    page: Page = 1,
    state: Annotated[str, Query(max_length=40)] = "",
    authority: Annotated[str, Query(max_length=40)] = "",
    counterpart: Annotated[str, Query(max_length=2)] = "",
) -> Response:
    """Cases involving the user's state, newest first, filtered and paged."""
    chosen_state = CaseState(state) if state in set(CaseState) else None
    chosen_authority = authority if authority in AUTHORITY_IDS else ""
    chosen_counterpart = counterpart.upper() if counterpart.isalpha() else ""
    found = cases.list_cases(
        uow,
        principal,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        state=chosen_state,
        authority=chosen_authority or None,
        counterpart=chosen_counterpart or None,
    )
    people = views.people_named(uow, {c.person_id for c in found.items})
    filters = {"state": state, "authority": chosen_authority, "counterpart": chosen_counterpart}
    query = urlencode([(k, v) for k, v in filters.items() if v])
    context = {
        "page": found,
        "people": people,
        "number": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "filters": filters,
        "query": query,
        "states": list(CaseState),
        "authorities": sorted(AUTHORITY_IDS),
    }
    return render(request, "cases/list.html", context)


@router.post("/cases")
def open_case(
    request: Request,
    uow: Uow,
    principal: User,
    person_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    authority: Short,
    from_state: Short,
    to_state: Short,
) -> Response:
    """Open a case for a person (case officers); refused, the person's page comes back with
    the form as typed."""
    typed = {"authority": authority, "to_state": to_state}
    try:
        command = OpenCase.model_validate(
            {
                "person_id": person_id,
                "authority": authority,
                "from_state": from_state,
                "to_state": to_state,
            }
        )
        case = cases.open_case(uow, principal, command)
    except KEPT as refused:
        page = lambda: person_page(uow, principal, person_id)  # noqa: E731
        return form_back(request, uow, refused, form="open_case", typed=typed, page=page)
    uow.commit()
    assert case.id is not None
    return back_to(case.id, "opened")


def _verdict(uow: UnitOfWork, case: Case) -> tuple[dict[str, Any] | None, str, Any]:
    """The latest stored assessment while the facts on file are still those it assessed;
    otherwise (facts recorded since, or none stored) one computed now, not stored."""
    assert case.id is not None
    stored = views.latest_assessment(uow, case.id)
    records = case_documents.load_records(uow, case)
    try:
        if stored is not None and build_document(records, stored.as_of) == stored.document:
            source = _("assessment %(id)s, as of %(day)s", id=stored.id, day=day(stored.as_of))
            return _in_reader_language(uow, stored), source, stored
        document = build_document(records, clock.today())
        # As a step would judge it: with the contract and free places on file, and the law
        # in force here (local amendments included).
        verdict = _foreseen(uow, assessments.foresee(uow, document, case_id=case.id))
    except LawDataError as exc:
        return None, _("the law data could not be loaded: %(problem)s", problem=str(exc)), None
    if stored is not None:
        source = _(
            "computed now with the facts on file; assessment %(id)s predates them", id=stored.id
        )
        return verdict, source, None
    return verdict, _("computed now, not yet stored"), None


def _foreseen(uow: UnitOfWork, seen: assessments.Foresight) -> dict[str, Any]:
    """A verdict computed now, its reasons in the reader's language."""
    if current_language() == "en":
        return seen.verdict
    catalog = law_in_force.catalog_of(uow)
    spanish = assess(seen.parsed, seen.facts, catalog, language="es").to_json()
    return assessments.worded(seen.verdict, spanish)


def _in_reader_language(uow: UnitOfWork, stored: Any) -> dict[str, Any]:
    """The stored verdict, its reasons in the reader's language (the same verdict: where the
    law now says otherwise, the record's words are kept)."""
    if current_language() == "en":
        return dict(stored.verdict)
    return assessments.worded(stored.verdict, assessments.in_language(uow, stored, "es"))


def _actions(uow: UnitOfWork, principal: Principal, case: Case) -> list[dict[str, Any]]:
    actions = []
    for step in available(case.authority, case.state):
        if step.command == "verify_consent" or not may_take(principal, case, step.command):
            continue
        blocked = ""
        if step.command in APPROVALS and prepared_it(
            principal, step.command, transitions.preparers(uow, case, step.command)
        ):
            blocked = _(
                "Separation of duties: you prepared this decision, so another reviewer "
                "must %(step)s.",
                step=words(step.command),
            )
        exit_step = step.command in views.SIDE_EXITS or step.command == "mark_ineligible"
        explain = EXPLAIN.get(step.command.removesuffix("_sending").removesuffix("_receiving"))
        actions.append(
            {
                "step": step,
                "blocked": blocked,
                "exit": exit_step,
                "explain": _(explain) if explain else "",
                "weight": "danger" if step.command == "deny" else "",
            }
        )
    return actions


def _pending_grounds(case: Case) -> set[str]:
    """Grounds the next steps still allow to be open (consent before the hearing, say)."""
    pending: set[str] = set()
    for step in available(case.authority, case.state):
        if step.gate and step.command not in views.SIDE_EXITS:
            pending |= step.gate
    return pending


def _deadlines(uow: UnitOfWork, case: Case) -> list[deadlines.Deadline]:
    try:
        return deadlines.of_case(uow, case, clock.today())
    except (LawDataError, KeyError):
        return []


@router.get("/cases/{case_id}")
def case_detail(
    request: Request,
    case_id: RecordId,
    uow: Uow,
    principal: User,
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """One case: its facts, current assessment with every check, timeline and actions."""
    return render(request, *case_page(uow, principal, case_id, done))


def case_page(
    uow: UnitOfWork, principal: Principal, case_id: int, done: str = ""
) -> tuple[str, dict[str, Any]]:
    """The case page's template and context (a refused form shows it again, as typed)."""
    case = cases.get_or_raise(uow, principal, case_id)
    records = case_documents.load_records(uow, case)
    verdict, verdict_source, stored = _verdict(uow, case)
    events = transitions.timeline(uow, case_id)
    pending = _pending_grounds(case)
    officer_here = principal.role is Role.CASE_OFFICER and principal.state == case.from_state
    names = views.user_names(
        uow,
        {case.prepared_by, *(d.decided_by for d in records.decisions)}
        | {c.recorded_by for c in records.consents},
    )
    done_step = _("Done: %(step)s.", step=words(done)) if done.isidentifier() else ""
    message = _(DONE[done]) if done in DONE else done_step
    context = {
        "case": case,
        "person": records.person,
        "records": records,
        "verdict": verdict,
        "verdict_source": verdict_source,
        "pending": pending,
        "assessment": stored,
        "stage": stage_of(case, verdict),
        "rows": check_rows(verdict) if verdict else [],
        "events": events,
        "actions": _actions(uow, principal, case),
        "can_verify": may_take(principal, case, "verify_consent"),
        "officer_here": officer_here,
        "removal": track_of(case.authority) is Track.REMOVAL,
        "names": names,
        "deadlines": _deadlines(uow, case),
        "message": message,
        "today": clock.today().isoformat(),
        "advisements": [(a, ADVISEMENT_LABELS.get(a, a)) for a in REQUIRED_ADVISEMENTS],
        "advisement_labels": ADVISEMENT_LABELS,
        "verifier_roles": list(VerifierRole),
        "givers": list(ConsentGiver),
        "fear_outcomes": list(FearOutcome),
        "facts": dict(case.facts or {}),
        "peer": peers.of_case(uow, case.states_involved),  # shared with its own Repatria
        # A completed movement: by today's law and by what was known the day it departed.
        "hindsight": hindsight.at_departure(uow, case),
    }
    return "cases/detail.html", context
