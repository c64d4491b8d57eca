"""Load the space standards and cost rates held as dated YAML data, strictly.

Unknown fields, duplicate keys and float amounts are refused: amounts are quoted strings so that
they load as exact decimals. The files live in src/repatria/law/data/{standards,costs}/.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from repatria.domain.errors import InvalidInput, NotFound
from repatria.domain.facilities import SharedRule, SpaceStandard
from repatria.domain.money import CostRate
from repatria.i18n import N_


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping in a data file names the same key twice."""


class StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a mapping with a repeated key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping after checking that no key appears twice."""
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _exact(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("write amounts as quoted strings so they load exactly")
    return value


ExactDecimal = Annotated[Decimal, BeforeValidator(_exact), Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a value comes from and whether it has been checked against that source."""

    title: str
    citation: str
    url: str
    seen_at: str | None = None
    volume: int | None = None
    page: int | None = None
    document_number: str | None = None
    published: date | None = None
    verified: bool


class SpaceValues(_Strict):
    """A standard's figures as in force from a date."""

    effective: date
    single_cell_m2: ExactDecimal
    shared_per_person_m2: ExactDecimal
    sanitary_area_excluded: bool
    note: str | None = None
    source: Source


class StandardFile(_Strict):
    """One space standard's file."""

    code: str
    name: str
    shared_rule: Literal["per_person", "single_plus_additional"]
    values: list[SpaceValues] = Field(min_length=1)


class FiscalYearStart(_Strict):
    """The month and day a jurisdiction's fiscal year begins."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


class RateEntry(_Strict):
    """One fiscal year's yearly cost, effective from the day its notice took effect."""

    fiscal_year: int
    annual: ExactDecimal
    daily: ExactDecimal | None = None
    effective: date
    note: str | None = None
    source: Source


class CostFile(_Strict):
    """One jurisdiction's cost rates."""

    jurisdiction: str
    name: str
    currency: str
    fiscal_year_starts: FiscalYearStart
    rates: list[RateEntry] = Field(min_length=1)


def _data_dir(kind: str) -> Traversable:
    return files("repatria").joinpath("law", "data", kind)


def load_yaml(text: str) -> Any:
    """Parse YAML with the strict loader."""
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader


def _yaml_files(kind: str) -> list[Traversable]:
    return sorted(
        (p for p in _data_dir(kind).iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name
    )


def parse_standard(text: str) -> tuple[SpaceStandard, ...]:
    """A standard file's dated values as domain objects, oldest first."""
    data = StandardFile.model_validate(load_yaml(text))
    return tuple(
        SpaceStandard(
            code=data.code,
            name=data.name,
            single_cell_m2=v.single_cell_m2,
            shared_per_person_m2=v.shared_per_person_m2,
            shared_rule=SharedRule(data.shared_rule),
            effective=v.effective,
            citation=v.source.citation,
            url=v.source.url,
            verified=v.source.verified,
        )
        for v in sorted(data.values, key=lambda v: v.effective)
    )


def parse_costs(text: str) -> tuple[CostRate, ...]:
    """A cost file's rates as domain objects, by fiscal year."""
    data = CostFile.model_validate(load_yaml(text))
    return tuple(
        CostRate(
            jurisdiction=data.jurisdiction,
            fiscal_year=r.fiscal_year,
            annual=r.annual,
            daily=r.daily,
            effective=r.effective,
            citation=r.source.citation,
            url=r.source.url,
            verified=r.source.verified,
            currency=data.currency,
        )
        for r in sorted(data.rates, key=lambda r: r.fiscal_year)
    )


@cache
def space_standards() -> dict[str, tuple[SpaceStandard, ...]]:
    """Every space standard shipped with Repatria, by code, each with its dated values."""
    loaded = [parse_standard(p.read_text(encoding="utf-8")) for p in _yaml_files("standards")]
    return {values[0].code: values for values in loaded}


def space_standard(code: str, on: date) -> SpaceStandard:
    """The figures of a standard as in force on a date."""
    dated = space_standards().get(code.upper())
    if dated is None:
        raise InvalidInput("standard", N_("unknown space standard %(code)s"), code=repr(code))
    in_force = [v for v in dated if v.effective <= on]
    if not in_force:
        raise NotFound("space standard", f"{code} in force on {on.isoformat()}")
    return in_force[-1]


@cache
def cost_rates() -> tuple[CostRate, ...]:
    """Every cost rate shipped with Repatria, for every jurisdiction."""
    return tuple(
        r for p in _yaml_files("costs") for r in parse_costs(p.read_text(encoding="utf-8"))
    )
