"""Response bodies of the REST API (request bodies are the services' commands)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from repatria.domain.accounts import Role
from repatria.domain.cases import CaseState
from repatria.domain.people import HoldKind, OffenseCategory, ProtectionKind
from repatria.services import passwords
from repatria.services.commands import Command


class Out(BaseModel):
    """Read from domain objects' attributes."""

    model_config = ConfigDict(from_attributes=True)


class OrganisationOut(Out):
    id: int
    code: str
    name: str
    state: str


class UserOut(Out):
    id: int
    username: str
    display_name: str
    role: Role
    organisation: OrganisationOut
    active: bool


class CitizenshipOut(Out):
    country: str
    acquired_on: date | None
    lost_on: date | None


class IdentifierOut(Out):
    scheme: str
    value: str


class SentenceOut(Out):
    id: int
    offense: str
    offense_category: OffenseCategory
    jurisdiction: str
    start_date: date
    length_days: int | None
    credit_days: int
    indeterminate: bool
    death_sentence: bool
    final: bool
    appeal_pending: bool
    collateral_attack_pending: bool
    state_prisoner: bool


class ProtectionOrderOut(Out):
    id: int
    kind: ProtectionKind
    country: str
    issued_on: date
    terminated_on: date | None
    issued_by: str


class HoldOut(Out):
    id: int
    kind: HoldKind
    issued_on: date
    lifted_on: date | None
    court: str
    reference: str


class RemovalOrderOut(Out):
    id: int
    issued_on: date
    final: bool
    designated_countries: list[str]


class PersonOut(Out):
    id: int
    version: int
    family_name: str
    given_names: str
    birth_date: date | None
    held_by_state: str
    citizenships: list[CitizenshipOut]
    identifiers: list[IdentifierOut]
    sentences: list[SentenceOut]
    protection_orders: list[ProtectionOrderOut]
    holds: list[HoldOut]
    removal_orders: list[RemovalOrderOut]
    created_at: datetime
    updated_at: datetime


class CaseOut(Out):
    id: int
    reference: str
    version: int
    person_id: int
    authority: str
    from_state: str
    to_state: str
    state: CaseState
    opened_at: datetime
    updated_at: datetime


T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class TokenOut(Out):
    id: int
    name: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    read_only: bool


class NewTokenOut(TokenOut):
    token: str


class HealthOut(BaseModel):
    status: str
    database: str
    migration: str | None
    migration_head: str
    version: str


class LoginIn(Command):
    username: Annotated[str, StringConstraints(max_length=80)]
    password: Annotated[str, StringConstraints(max_length=200)]


class ChangePasswordIn(Command):
    username: Annotated[str, StringConstraints(max_length=80)]
    current_password: Annotated[str, StringConstraints(max_length=200)]
    new_password: Annotated[
        str, StringConstraints(min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH)
    ] = Field(description="not a common password, and not containing the username")


class ChangeRoleIn(Command):
    role: Role


class ReasonIn(Command):
    reason: Annotated[str, StringConstraints(max_length=4000)] = ""


class OneTimePasswordOut(BaseModel):
    user: UserOut
    one_time_password: str


class NewTokenIn(Command):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] = "api token"
    days: Annotated[int, Field(ge=1, le=366)] = 30
    username: Annotated[str, StringConstraints(max_length=80)] | None = None
    read_only: bool = Field(
        default=False, description="the token may read what its user may, and change nothing"
    )
