"""Recording the notice of the destination served on the person, from the case page."""

from __future__ import annotations

from fastapi import Request, Response

from repatria.entrypoints.web.cases import case_page
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, back_to
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.routing import web_router
from repatria.services import notices
from repatria.services.notices import ServeNotice

router = web_router()


@router.post("/cases/{case_id}/notices")
def serve_notice(
    request: Request,
    case_id: RecordId,
    uow: Uow,
    principal: User,
    served_at: Short,
    language_understood: Short = "",
    explains_how_to_contest: Short = "",
    country: Short = "",
) -> Response:
    """Record written notice of the destination served on the person."""
    moment = served_at if len(served_at) > 16 else f"{served_at}:00Z"
    typed = {
        "served_at": served_at,
        "country": country,
        "language_understood": language_understood,
        "explains_how_to_contest": explains_how_to_contest,
    }
    try:
        command = ServeNotice.model_validate(
            {
                "served_at": moment,
                "language_understood": language_understood == "yes",
                "explains_how_to_contest": explains_how_to_contest == "yes",
                "country": country.strip().upper() or None,
            }
        )
        notices.add_notice(uow, principal, case_id, command)
    except KEPT as refused:
        page = lambda: case_page(uow, principal, case_id)  # noqa: E731
        return form_back(request, uow, refused, form="notice", typed=typed, page=page)
    uow.commit()
    return back_to(case_id, "notice")
