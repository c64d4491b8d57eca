"""The assessment document's fields as flat, dotted roster columns, and their kinds."""

from __future__ import annotations

from enum import Enum
from typing import get_args

import polars as pl

from repatria.law.countries import ISO_ALPHA2
from repatria.law.document_parts import (
    ConsentGiver,
    FearOutcome,
    GroundName,
    OffenseCategory,
    Verifier,
)


class Kind(Enum):
    """How a roster column is read and checked."""

    TEXT = "text"
    COUNTRY = "country"
    COUNTRIES = "countries"  # a list, `;`-separated in CSV
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    ENUM = "enum"


# Every scalar (and list-of-codes) field of the §4 document, by its dotted name.
FIELDS: dict[str, Kind] = {
    "authority": Kind.TEXT,
    "from": Kind.COUNTRY,
    "to": Kind.COUNTRY,
    "as_of": Kind.DATE,
    "request_received_on": Kind.DATE,
    "person.birth_date": Kind.DATE,
    "person.citizenships": Kind.COUNTRIES,
    "person.competent": Kind.BOOL,
    "person.years_in_sending_state": Kind.NUMBER,
    "person.intends_to_remain": Kind.BOOL,
    "person.residence_country": Kind.COUNTRY,
    "person.fled_to_state_of_nationality": Kind.BOOL,
    "person.expulsion_order": Kind.BOOL,
    "person.deportation_country": Kind.COUNTRY,
    "person.lawful_permanent_resident": Kind.BOOL,
    "person.member_of_designated_organisation": Kind.BOOL,
    "sentence.offense_category": Kind.ENUM,
    "sentence.dual_criminality": Kind.BOOL,
    "sentence.start_date": Kind.DATE,
    "sentence.length_days": Kind.INT,
    "sentence.credit_days": Kind.INT,
    "sentence.indeterminate": Kind.BOOL,
    "sentence.death_sentence": Kind.BOOL,
    "sentence.final": Kind.BOOL,
    "sentence.appeal_pending": Kind.BOOL,
    "sentence.collateral_attack_pending": Kind.BOOL,
    "sentence.other_charges_pending": Kind.BOOL,
    "sentence.state_prisoner": Kind.BOOL,
    "sentence.judgment_date": Kind.DATE,
    "consent.given_by": Kind.ENUM,
    "consent.verified_on": Kind.DATE,
    "consent.verified_by": Kind.ENUM,
    "consent.opinion_recorded": Kind.BOOL,
    "approvals.sending_state": Kind.DATE,
    "approvals.receiving_state": Kind.DATE,
    "approvals.us_state": Kind.DATE,
    "removal_order.final": Kind.BOOL,
    "removal_order.designated_countries": Kind.COUNTRIES,
    "removal_order.destination_accepts": Kind.BOOL,
    "removal_order.assurances_relied_on": Kind.BOOL,
    "removal_order.assurances_found_reliable": Kind.BOOL,
    "notice.served_at": Kind.DATETIME,
    "notice.explains_how_to_contest": Kind.BOOL,
    "notice.language_understood": Kind.BOOL,
    "notice.country": Kind.COUNTRY,
    "fear_claim.raised": Kind.BOOL,
    "fear_claim.outcome": Kind.ENUM,
    "fear_claim.country": Kind.COUNTRY,
    "departure_at": Kind.DATETIME,
    "removal_authority": Kind.TEXT,
}

ENUMS: dict[str, tuple[str, ...]] = {
    "sentence.offense_category": get_args(OffenseCategory),
    "consent.given_by": get_args(ConsentGiver),
    "consent.verified_by": get_args(Verifier),
    "fear_claim.outcome": get_args(FearOutcome),
    "exceptions.ground": get_args(GroundName),  # a member of a list of objects (GROUPS)
}

# Lists of objects: in CSV and Parquet, one `;`-separated column per member, aligned by position
# (`holds.kind` = "tro;stay", `holds.issued_on` = "2025-03-15;"); an empty entry is null. A member
# that is itself a list of codes separates them by `+` within its entry (`exceptions.by` =
# "US+JP;US"); it may not be empty.
GROUPS: dict[str, dict[str, Kind]] = {
    "protection_orders": {
        "kind": Kind.TEXT,
        "country": Kind.COUNTRY,
        "issued_on": Kind.DATE,
        "terminated_on": Kind.DATE,
    },
    "holds": {"kind": Kind.TEXT, "issued_on": Kind.DATE, "lifted_on": Kind.DATE},
    "exceptions": {
        "ground": Kind.ENUM,
        "by": Kind.COUNTRIES,
        "agreed_on": Kind.DATE,
        "reason": Kind.TEXT,
    },
}
# Members an entry of a list may not leave out (the engine's model requires them).
REQUIRED_MEMBERS = {
    "protection_orders": ("country",),
    "exceptions": ("ground", "by", "agreed_on"),
}
# Within an entry, a date that may not precede another one (`lifted_on` >= `issued_on`).
ORDERED_MEMBERS = {
    "protection_orders": ("issued_on", "terminated_on"),
    "holds": ("issued_on", "lifted_on"),
}

GROUP_COLUMNS: dict[str, Kind] = {
    f"{group}.{member}": kind
    for group, members in GROUPS.items()
    for member, kind in members.items()
}
ROSTER_COLUMNS = frozenset(FIELDS) | frozenset(GROUP_COLUMNS)
# The local calendar day of departure (holds are checked on it); derived, not read.
DEPARTURE_DAY = "_departure_day"

# Country codes and closed vocabularies are Polars enums: checked on reading, compared fast.
COUNTRY = pl.Enum(sorted(ISO_ALPHA2))

_TYPED: dict[Kind, pl.DataType] = {
    Kind.TEXT: pl.String(),
    Kind.COUNTRY: COUNTRY,
    Kind.COUNTRIES: pl.List(COUNTRY),
    Kind.DATE: pl.Date(),
    Kind.DATETIME: pl.Datetime("us", "UTC"),
    Kind.BOOL: pl.Boolean(),
    Kind.INT: pl.Int64(),
    Kind.NUMBER: pl.Float64(),
}


def column_dtype(name: str) -> pl.DataType:
    """The Polars type of a roster column (or of a group's member, `exceptions.ground`) once
    read and checked."""
    if name in ENUMS:
        return pl.Enum(list(ENUMS[name]))
    if name in GROUPS:
        members = {m: column_dtype(f"{name}.{m}") for m in GROUPS[name]}
        return pl.List(pl.Struct(members))
    return _TYPED[FIELDS[name] if name in FIELDS else GROUP_COLUMNS[name]]


def typed_schema() -> dict[str, pl.DataType]:
    """Every column of a checked roster, as the screening evaluator reads it."""
    schema = {name: column_dtype(name) for name in [*FIELDS, *GROUPS]}
    schema[DEPARTURE_DAY] = pl.Date()
    return schema
