"""Commands: the validated orders that use cases accept (also the API's request bodies)."""

from __future__ import annotations

import re
import types
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from repatria.domain.accounts import Role
from repatria.domain.people import HoldKind, OffenseCategory, ProtectionKind
from repatria.i18n import N_
from repatria.law import AUTHORITY_IDS
from repatria.services import clock


def _upper(value: str) -> str:
    return value.upper()


CountryCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$"),
    AfterValidator(_upper),
    Field(description="ISO 3166-1 alpha-2 country code", examples=["MX"]),
]
# The texts Command accepts, as the API document's patterns: no control character other than
# tab and line breaks, and for a text that must not be blank, one character that is no space.
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
NOT_BLANK = (
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
)
# The services refuse any other authority (422 naming the field); the document lists them.
Authority = Annotated[
    str,
    StringConstraints(min_length=1, max_length=40),
    Field(json_schema_extra={"enum": sorted(AUTHORITY_IDS)}),
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)
]


def _plain_text_patterns(schema: dict[str, Any]) -> None:
    """Write PLAIN_TEXT into the API document of each text field that has no pattern of its
    own (a pattern of its own, such as a code's, admits no control character anyway)."""
    for member in schema.get("properties", {}).values():
        for option in member.get("anyOf", [member]):
            if option.get("type") == "string" and not {"pattern", "format", "enum"} & set(option):
                option["pattern"] = PLAIN_TEXT


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}.*")


def _temporal_kind(annotation: object) -> type | None:
    """datetime or date when a field holds one (perhaps optional), else None."""
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else ()
    for option in options or (annotation,):
        if option is datetime or option is date:
            return datetime if option is datetime else date
    return None


def _holds_bool(annotation: object) -> bool:
    """Whether a field holds a yes or no (perhaps optional): the API document says a JSON
    boolean, and pydantic would also read 0, 1, "yes" or "off" as one."""
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else ()
    return any(option is bool for option in options or (annotation,))


def as_written(kind: type, value: object) -> object:
    """Refuse a day or a moment written otherwise than the API document says (ISO 8601 text):
    pydantic would also read a number, or text of digits, as a Unix time."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(N_("write it as ISO 8601 text"))
    if isinstance(value, str):
        if kind is datetime and not ISO_MOMENT.fullmatch(value):
            raise ValueError(N_("must be a date and time written YYYY-MM-DDTHH:MM[:SS][offset]"))
        if kind is date and not ISO_DAY.fullmatch(value):
            raise ValueError(N_("must be a date written YYYY-MM-DD"))
    return value


def written_day(value: object) -> object:
    """A day as the API document writes it (for a query parameter)."""
    return as_written(date, value)


Day = Annotated[date, BeforeValidator(written_day)]


def no_control_characters(value: object) -> object:
    """Refuse NUL and other control characters, which no name or reference contains."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValueError(N_("contains a control character"))
    return value


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Command(BaseModel):
    """Base of every command: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_plain_text_patterns)

    @field_validator("*", mode="before")
    @classmethod
    def _written_times(cls, value: object, info: ValidationInfo) -> object:
        field = cls.model_fields.get(info.field_name or "")
        a_yes_or_no = value is None or isinstance(value, bool)  # None: as the type says
        if field is not None and _holds_bool(field.annotation) and not a_yes_or_no:
            raise ValueError(N_("must be true or false"))
        kind = _temporal_kind(field.annotation) if field is not None else None
        return as_written(kind, value) if kind is not None else value

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: object) -> object:
        return no_control_characters(value)


class CitizenshipIn(Command):
    country: CountryCode
    acquired_on: date | None = None
    lost_on: date | None = None

    @model_validator(mode="after")
    def _lost_after_acquired(self) -> Self:
        if self.acquired_on and self.lost_on and self.lost_on < self.acquired_on:
            raise ValueError(N_("lost_on is before acquired_on"))
        return self


class IdentifierIn(Command):
    scheme: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=NOT_BLANK),
    ]
    value: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NOT_BLANK),
    ]


def _length_or_indeterminate(schema: dict[str, Any]) -> None:
    """The API document of a sentence: length_days, unless it is indeterminate."""
    _plain_text_patterns(schema)
    schema["anyOf"] = [
        {"required": ["length_days"], "properties": {"length_days": {"type": "integer"}}},
        {"required": ["indeterminate"], "properties": {"indeterminate": {"const": True}}},
    ]


class SentenceIn(Command):
    model_config = ConfigDict(json_schema_extra=_length_or_indeterminate)
    offense: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=NOT_BLANK),
    ]
    offense_category: OffenseCategory
    jurisdiction: Annotated[str, StringConstraints(min_length=2, max_length=10)] = Field(
        description="Sentencing jurisdiction: a country code, or country-subdivision (US-TX)"
    )
    start_date: date
    length_days: Annotated[int, Field(ge=1, le=365 * 200)] | None = None
    credit_days: Annotated[int, Field(ge=0, le=365 * 200)] = 0
    indeterminate: bool = False
    death_sentence: bool = False
    final: bool = True
    appeal_pending: bool = False
    collateral_attack_pending: bool = False
    state_prisoner: bool = False

    @model_validator(mode="after")
    def _length_or_indeterminate(self) -> Self:
        if self.length_days is None and not self.indeterminate:
            raise ValueError(N_("length_days is required unless the sentence is indeterminate"))
        return self


class ProtectionOrderIn(Command):
    kind: ProtectionKind
    country: CountryCode
    issued_on: date
    terminated_on: date | None = None
    issued_by: Annotated[str, StringConstraints(max_length=200)] = ""

    @model_validator(mode="after")
    def _terminated_after_issued(self) -> Self:
        if self.terminated_on and self.terminated_on < self.issued_on:
            raise ValueError(N_("terminated_on is before issued_on"))
        return self


class HoldIn(Command):
    kind: HoldKind
    issued_on: date
    lifted_on: date | None = None
    court: Annotated[str, StringConstraints(max_length=200)] = ""
    reference: Annotated[str, StringConstraints(max_length=100)] = ""

    @model_validator(mode="after")
    def _lifted_after_issued(self) -> Self:
        # As the legal engine reads it: stored otherwise, every later assessment is refused.
        if self.lifted_on and self.lifted_on < self.issued_on:
            raise ValueError(N_("lifted_on is before issued_on"))
        return self


class RemovalOrderIn(Command):
    issued_on: date
    final: bool
    designated_countries: list[CountryCode] = Field(default_factory=list)


class RecordPerson(Command):
    """Record a person in the custody of one state, with the legal facts known about them."""

    family_name: Name
    given_names: Name
    birth_date: date | None = None
    held_by_state: CountryCode
    citizenships: list[CitizenshipIn] = Field(default_factory=list, max_length=10)
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=20)
    sentences: list[SentenceIn] = Field(default_factory=list, max_length=20)
    protection_orders: list[ProtectionOrderIn] = Field(default_factory=list, max_length=20)
    holds: list[HoldIn] = Field(default_factory=list, max_length=20)
    removal_orders: list[RemovalOrderIn] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _birth_date_not_in_future(self) -> Self:
        if self.birth_date and self.birth_date > clock.today():
            raise ValueError(N_("birth_date is in the future"))
        return self


class UpdatePerson(Command):
    """Correct a person's identity facts; `version` guards against overwriting someone else."""

    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None, description="the version you read (optional)"
    )
    # Leave a field out to keep its value; the document offers no null (see below).
    family_name: Name | SkipJsonSchema[None] = None
    given_names: Name | SkipJsonSchema[None] = None
    birth_date: date | None = None
    citizenships: Annotated[list[CitizenshipIn], Field(max_length=10)] | SkipJsonSchema[None] = None
    identifiers: Annotated[list[IdentifierIn], Field(max_length=20)] | SkipJsonSchema[None] = None

    @field_validator("family_name", "given_names", "citizenships", "identifiers")
    @classmethod
    def _not_null_when_given(cls, value: object) -> object:
        # Absent means "keep"; an explicit null would erase a fact the record must have.
        if value is None:
            raise ValueError(N_("may not be null; leave the field out to keep its value"))
        return value


class OpenCase(Command):
    """Open a case: one person's proposed movement under one authority."""

    person_id: Annotated[int, Field(ge=1, le=2**63 - 1)]
    authority: Authority
    from_state: CountryCode
    to_state: CountryCode
    opened_on: date | None = Field(
        default=None,
        description="the day the application was opened, when it is recorded later "
        "(default: today); never in the future",
    )

    @model_validator(mode="after")
    def _two_states(self) -> Self:
        if self.from_state == self.to_state:
            raise ValueError(N_("from_state and to_state are the same state"))
        return self


class CreateOrganisation(Command):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]
    name: Name
    state: CountryCode


class CreateUser(Command):
    username: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,79}$")]
    display_name: Name
    password: Annotated[str, StringConstraints(min_length=10, max_length=200)]
    role: Role
    organisation_code: str


class PlanMovement(Command):
    """Plan a movement: a numbered batch under one authority between two states."""

    authority: Authority
    from_state: CountryCode
    to_state: CountryCode
    seats: Annotated[int, Field(ge=1, le=1000)]
    planned_departure: datetime
    sequence: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        default=None,
        description=(
            "the number history gives this movement (transfers made before Repatria count); "
            "must be above every number already used; default: the next one"
        ),
    )

    @model_validator(mode="after")
    def _two_states(self) -> Self:
        if self.from_state == self.to_state:
            raise ValueError(N_("from_state and to_state are the same state"))
        return self


class ManifestChange(Command):
    case_id: Annotated[int, Field(ge=1, le=2**63 - 1)]
    reason: Annotated[str, StringConstraints(max_length=4000)] = ""


class MovementStep(Command):
    command: Literal["lock", "depart", "confirm_arrival", "close"]
    on: date | None = Field(
        default=None, description="the day it happened, for arrival (default: today)"
    )
    at: AwareDatetime | None = Field(
        default=None,
        description="when it happened, for departure and arrival (default: now); "
        "never in the future, an arrival never before the departure",
    )
    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
