"""Strict field types for assessment documents: ISO dates, times and country codes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ConfigDict, WithJsonSchema

from repatria.law.countries import ISO_ALPHA2, country_problem

# Unknown keys are refused everywhere: a misspelt fact must not silently become "unknown".
STRICT = ConfigDict(extra="forbid", frozen=True, populate_by_name=False, allow_inf_nan=False)


def _iso_date(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date (YYYY-MM-DD)") from None


def _iso_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and "T" in value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO 8601 date and time") from None
    else:
        raise ValueError("must be an ISO 8601 date and time such as 2025-03-14T09:00:00Z")
    # A time without an offset is read as UTC, so that hours between two times are defined.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _country(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be an ISO 3166-1 alpha-2 country code")
    problem = country_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _countries(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("lists the same country twice")
    return values


# The JSON Schema of each type says what its validator accepts (the API document shows it).
IsoDate = Annotated[
    date, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})
]
IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso_datetime),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": "T"}),
]
Country = Annotated[
    str,
    BeforeValidator(_country),
    # A pattern, not an enum: it says the same, and test generators do not try each code.
    WithJsonSchema({"type": "string", "pattern": f"^({'|'.join(sorted(ISO_ALPHA2))})$"}),
]
Countries = Annotated[list[Country], AfterValidator(_countries)]
