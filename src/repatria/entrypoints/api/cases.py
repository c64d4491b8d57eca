"""Cases: one person's proposed movement under one authority."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from repatria.domain.cases import CaseState
from repatria.entrypoints.api.deps import (
    MAX_ID,
    AppContainer,
    CurrentPrincipal,
    Limit,
    Offset,
    RecordId,
    Token,
    Uow,
)
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN, NOT_FOUND, refusals
from repatria.entrypoints.api.schemas import CaseOut, PageOut
from repatria.services import accounts, cases
from repatria.services.commands import OpenCase

router = APIRouter(tags=["cases"])


@router.post(
    "/cases",
    response_model=CaseOut,
    status_code=201,
    summary="Open a case",
    responses=refusals(FORBIDDEN, NOT_FOUND),
)
def open_case(body: OpenCase, principal: CurrentPrincipal, uow: Uow, idem: Idempotent) -> object:
    """Open a case for a person your state holds or will receive."""
    case = cases.open_case(uow, principal, body)
    return idem.commit(uow, CaseOut.model_validate(case).model_dump(mode="json"), 201)


@router.get("/cases/{case_id}", response_model=CaseOut, summary="Read a case")
def read_case(case_id: RecordId, token: Token, container: AppContainer) -> object:
    """A case involving your state (404 otherwise)."""
    # The case is read with the caller's authentication: one statement, not two. Its unit of
    # work is opened here and the answer rendered here, so the request costs one hop to the
    # thread pool, not four (the dependency's set-up and tear-down, the response's check).
    read = cases.summary_read(CaseOut.model_fields)
    with container.uow(read_only=True) as uow:
        principal, found = accounts.authenticate_reading(uow, token, read, case_id)
    found = cases.summary_seen(principal, case_id, found)
    return JSONResponse(CaseOut.model_validate(found).model_dump(mode="json"))


@router.get("/cases", response_model=PageOut[CaseOut], summary="List cases")
def list_cases(
    principal: CurrentPrincipal,
    uow: Uow,
    limit: Limit = 50,
    offset: Offset = 0,
    state: CaseState | None = None,
    authority: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z0-9-]*$")] = None,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    counterpart: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
) -> object:
    """Cases involving your state, newest first."""
    return cases.list_cases(
        uow,
        principal,
        limit=limit,
        offset=offset,
        state=state,
        authority=authority,
        person_id=person_id,
        counterpart=counterpart,
    )
