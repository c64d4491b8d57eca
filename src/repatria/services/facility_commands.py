"""Commands for facilities, allocation and custody contracts (also the API's request bodies)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from repatria.domain.errors import InvalidValue
from repatria.domain.facilities import Occupancy
from repatria.domain.money import FeeBasis
from repatria.domain.reference_data import space_standards
from repatria.i18n import N_
from repatria.services.commands import NOT_BLANK, Command, CountryCode, Name

RecordKey = Annotated[int, Field(ge=1, le=2**63 - 1)]
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
]
Level = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20, pattern=NOT_BLANK)
]


def _amount_pattern(most: int, integer_digits: int) -> str:
    return rf"^({most}(\.00?)?|[0-9]{{1,{integer_digits}}}(\.[0-9]{{1,2}})?)$"


def _amount_written(most: int, integer_digits: int) -> Callable[[object], object]:
    """A check that an amount is a JSON integer (8 or 8.0) or text such as "12.50" (a JSON
    number with a fraction is refused: binary floating point cannot hold most cents)."""
    pattern = _amount_pattern(most, integer_digits)

    def as_written(value: object) -> object:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(N_('write an amount with a fraction as text, such as "12.50"'))
        if isinstance(value, str) and not re.fullmatch(pattern, value):
            raise InvalidValue(
                N_("must be an amount from 0 to %(most)s with at most two decimals"), most=most
            )
        return value

    return as_written


def _amount_document(most: int, integer_digits: int) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "integer", "minimum": 0, "maximum": most},
            {"type": "string", "pattern": _amount_pattern(most, integer_digits)},
        ]
    }


Area = Annotated[
    Decimal,
    BeforeValidator(_amount_written(100_000, 5)),
    Field(ge=0, le=100_000, max_digits=12, decimal_places=2),
    WithJsonSchema(_amount_document(100_000, 5)),
]
Money = Annotated[
    Decimal,
    BeforeValidator(_amount_written(10**12, 12)),
    Field(ge=0, le=10**12, max_digits=16, decimal_places=2),
    WithJsonSchema(_amount_document(10**12, 12)),
]
Headcount = Annotated[int, Field(ge=0, le=1_000_000)]
# Pairs as the API document's generators read them: two items of one kind (not prefixItems).
KeyPair = Annotated[
    tuple[RecordKey, RecordKey],
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
            "minItems": 2,
            "maxItems": 2,
        }
    ),
]
TextPair = Annotated[
    tuple[str, str],
    WithJsonSchema({"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}),
]
Text = Annotated[str, StringConstraints(max_length=1000)]


def standard_code(value: str) -> str:
    """A known space standard's code, upper case."""
    code = value.strip().upper()
    if code not in space_standards():
        raise InvalidValue(
            N_("unknown space standard; known: %(known)s"),
            known=", ".join(sorted(space_standards())),
        )
    return code


def standard_pattern() -> str:
    """The known standards' codes as a pattern, in either case and with spaces around, as
    `standard_code` reads them."""
    either_case = ("".join(f"[{c.upper()}{c.lower()}]" for c in code) for code in space_standards())
    return rf"^\s*({'|'.join(sorted(either_case))})\s*$"


StandardCode = Annotated[
    str,
    Field(description="a space standard", examples=["CPT"], pattern=standard_pattern()),
    AfterValidator(standard_code),
]


class CellIn(Command):
    """A cell, or `count` identical cells coded CODE-1 … CODE-n."""

    code: Code
    floor_area_m2: Area
    sanitary_area_m2: Area = Decimal(0)
    beds: Annotated[int, Field(ge=0, le=10_000)]
    security_level: Level
    occupancy: Occupancy = Occupancy.SHARED
    declared_capacity: Headcount | None = None
    count: Annotated[int, Field(ge=1, le=1000)] = 1

    @model_validator(mode="after")
    def _annex_inside_the_cell(self) -> Self:
        if self.sanitary_area_m2 > self.floor_area_m2:
            raise ValueError(N_("sanitary_area_m2 is larger than floor_area_m2"))
        return self

    def codes(self) -> list[str]:
        """The code of each cell this entry stands for."""
        if self.count == 1:
            return [self.code]
        return [f"{self.code}-{n}" for n in range(1, self.count + 1)]


class UnitIn(Command):
    code: Code
    name: Name
    declared_capacity: Headcount | None = None
    cells: list[CellIn] = Field(default_factory=list, max_length=2000)

    @model_validator(mode="after")
    def _unique_cell_codes(self) -> Self:
        codes = [code for cell in self.cells for code in cell.codes()]
        if len(codes) != len(set(codes)):
            raise ValueError(N_("two cells of the unit share a code"))
        return self


class CreateFacility(Command):
    """Record a facility with its units and cells."""

    code: Code
    name: Name
    state: CountryCode
    standard: StandardCode = Field(default="CPT", description="the standard its operator chose")
    declared_capacity: Headcount | None = None
    units: list[UnitIn] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _unique_unit_codes(self) -> Self:
        codes = [unit.code for unit in self.units]
        if len(codes) != len(set(codes)):
            raise ValueError(N_("two units share a code"))
        return self


class AffiliationIn(Command):
    """A group affiliation, used only to keep rivals apart; never a legal ground."""

    group: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    recorded_on: date
    verified: bool


class ArrivalIn(Command):
    person_id: RecordKey
    security_level: Level
    affiliation: AffiliationIn | None = None
    release_on: date | None = Field(default=None, description="expected release, if known")


class Allocate(Command):
    """Place arriving people in a facility's cells, never past the chosen space standard."""

    on: date = Field(description="the day the people arrive")
    standard: StandardCode | None = Field(default=None, description="default: the facility's")
    arrivals: list[ArrivalIn] = Field(max_length=50_000)
    rivalries: list[TextPair] = Field(default_factory=list, max_length=1000)
    keep_apart: list[KeyPair] = Field(default_factory=list, max_length=50_000)
    keep_together: list[KeyPair] = Field(default_factory=list, max_length=50_000)
    contract_id: RecordKey | None = Field(
        default=None, description="the custody contract the arrivals are held under"
    )
    dry_run: bool = Field(default=False, description="compute and answer; store nothing")
    time_limit_s: Annotated[float, Field(ge=0.5, le=60)] = 8.0

    @model_validator(mode="after")
    def _each_person_once(self) -> Self:
        ids = [arrival.person_id for arrival in self.arrivals]
        if len(ids) != len(set(ids)):
            raise ValueError(N_("a person appears twice among the arrivals"))
        return self


class ReleaseStay(Command):
    on: date = Field(description="the day the person leaves the cell (not counted)")
    reason: Annotated[str, StringConstraints(max_length=4000)] = ""


class CreateContract(Command):
    """Record a custody contract: a host holds the payer's people for a fee, up to a cap."""

    reference: Code
    payer_state: CountryCode
    host_state: CountryCode
    facility_id: RecordKey | None = None
    fee_basis: FeeBasis
    fee: Money
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"
    cap_people: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    starts_on: date
    ends_on: date = Field(description="the last day covered (inclusive)")
    funding_source: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    citation: Text = ""
    url: Text = ""

    @model_validator(mode="after")
    def _dates_and_states(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError(N_("ends_on is before starts_on"))
        if self.payer_state == self.host_state:
            raise ValueError(N_("payer_state and host_state are the same state"))
        return self
