"""Organisations: each one state's authority."""

from __future__ import annotations

from fastapi import APIRouter

from repatria.entrypoints.api.deps import CurrentPrincipal, Uow
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.schemas import OrganisationOut
from repatria.services import accounts
from repatria.services.commands import CreateOrganisation

router = APIRouter(tags=["organisations"])


@router.get("/organisations", response_model=list[OrganisationOut], summary="All organisations")
def list_organisations(_: CurrentPrincipal, uow: Uow) -> object:
    """Every organisation with its state (not confidential)."""
    return accounts.list_organisations(uow)


@router.post(
    "/organisations",
    response_model=OrganisationOut,
    status_code=201,
    summary="Add one",
    responses=FORBIDDEN,
)
def create_organisation(body: CreateOrganisation, principal: CurrentPrincipal, uow: Uow) -> object:
    """Create an organisation: the installation's operator only (`repatria organisations
    create`), so every API caller is refused."""
    organisation = accounts.create_organisation(uow, principal, body)
    uow.commit()
    return organisation
