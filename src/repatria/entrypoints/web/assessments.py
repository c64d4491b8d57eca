"""Assessments in the browser: assess a proposed movement (the public document of
shared/DESIGN.md §4, pasted as JSON) and replay a stored assessment on today's law."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from repatria import i18n
from repatria.domain.errors import InvalidInput
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.plain_words import check_rows
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.i18n import N_
from repatria.i18n import gettext as _
from repatria.law.document import load_json
from repatria.law.errors import InvalidDocument
from repatria.services import assessments

router = web_router()
EXAMPLE = assessments.EXAMPLE


@router.get("/assessments/new")
def assessment_form(request: Request, principal: User) -> Response:
    """A form to assess one proposed movement, prefilled with an example document."""
    return render(request, *_form_page())


def _form_page() -> tuple[str, dict[str, Any]]:
    return "assessments/new.html", {"document": json.dumps(EXAMPLE, indent=2)}


@router.post("/assessments")
def assess(
    request: Request, uow: Uow, principal: User, document: Annotated[str, Form(max_length=100_000)]
) -> Response:
    """Assess the document, store the verdict with its legal basis, and show it; refused,
    the form comes back with the document as pasted and what is wrong in it."""
    try:
        assessment = assessments.record(uow, principal, _parsed(document))
    except KEPT as refused:
        typed = {"document": document}
        return form_back(request, uow, refused, form="assessment", typed=typed, page=_form_page)
    uow.commit()
    return RedirectResponse(f"/assessments/{assessment.id}", status_code=303)


def _parsed(document: str) -> dict[str, Any]:
    try:  # as strictly as the API and `repatria assess`: a key given twice is refused
        parsed = load_json(document)
    except InvalidDocument as exc:
        raise InvalidInput(exc.field, exc.template, **exc.params) from None
    if not isinstance(parsed, dict):
        raise InvalidInput("document", N_("must be a JSON object"))
    return parsed


@router.get("/assessments/{assessment_id}")
def assessment_detail(
    request: Request, assessment_id: RecordId, uow: Uow, principal: User
) -> Response:
    """A stored assessment with its document, and whether today's engine reproduces it."""
    replayed = assessments.replay(uow, principal, assessment_id)
    stored = replayed.original
    document = json.dumps(stored.document, indent=2, ensure_ascii=False)
    verdict = stored.verdict
    if i18n.current_language() == "es":  # the same verdict, its reasons in Spanish
        verdict = assessments.worded(verdict, assessments.in_language(uow, stored, "es"))
    context = {
        "replay": replayed,
        "replayed": explanation(replayed),
        "recorded": under_recorded_law(replayed),
        "assessment": stored,
        "verdict": verdict,
        "rows": check_rows(verdict),
        "document": document,
    }
    return render(request, "assessments/detail.html", context)


def under_recorded_law(replay: assessments.Replay) -> str:
    """Whether the verdict reproduces under the law the assessment recorded ("" where the law
    has not changed since, so today's run already says it)."""
    if not replay.law_changed:
        return ""
    if not replay.recorded_law_rebuilt:
        return _("The law it recorded can no longer be rebuilt here.")
    if replay.reproduces_under_recorded_law:
        return _("Under the law it recorded, it is reproduced exactly.")
    return _("Under the law it recorded, the verdict differs.")


def explanation(replay: assessments.Replay) -> str:
    """Whether today's engine and law reproduce the stored verdict, and what changed since."""
    changed = [
        what
        for what, flag in (
            (_("the law data"), replay.law_changed),
            (_("the engine"), replay.engine_changed),
        )
        if flag
    ]
    since = _(" and ").join(changed)
    if replay.same_verdict and changed:
        return _("reproduced exactly; %(what)s changed since", what=since)
    if replay.same_verdict:
        return _("reproduced exactly")
    if changed:
        return _("the verdict differs from the stored one; %(what)s changed since", what=since)
    return _("the verdict differs from the stored one (same law and engine)")
