"""The assessment document of DESIGN.md §4, parsed strictly; absent facts stay unknown."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError

from repatria.law.document_parts import (
    Approvals,
    Consent,
    FearClaim,
    Hold,
    Notice,
    Person,
    ProtectionOrder,
    RemovalOrder,
    Sentence,
)
from repatria.law.errors import InvalidDocument
from repatria.law.fields import STRICT, Country, IsoDate, IsoDateTime


class AssessmentDocument(BaseModel):
    """One proposed movement: authority, states, date, and what is known of the person."""

    model_config = STRICT
    authority: str = Field(min_length=1)
    from_state: Country = Field(alias="from")
    to_state: Country = Field(alias="to")
    as_of: IsoDate
    request_received_on: IsoDate | None = None
    person: Person = Field(default_factory=Person)
    sentence: Sentence = Field(default_factory=Sentence)
    consent: Consent | None = None
    approvals: Approvals | None = None
    removal_order: RemovalOrder | None = None
    notice: Notice | None = None
    fear_claim: FearClaim | None = None
    protection_orders: list[ProtectionOrder] | None = None
    holds: list[Hold] | None = None
    departure_at: IsoDateTime | None = None
    removal_authority: str | None = None


_PLAIN_WORDS = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "literal_error": "",
    "greater_than": "",
    "greater_than_equal": "",
    "string_too_short": "must not be empty",
}


def _reason(error: Any) -> str:
    plain = _PLAIN_WORDS.get(error["type"])
    if plain:
        return plain
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def parse_document(raw: object) -> AssessmentDocument:
    """Parse a raw JSON value into a document; InvalidDocument names the first bad field."""
    if not isinstance(raw, dict):
        raise InvalidDocument("document", "must be a JSON object")
    try:
        return AssessmentDocument.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "document"
        raise InvalidDocument(field, _reason(first)) from None
