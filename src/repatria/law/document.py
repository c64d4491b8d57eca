"""The assessment document of DESIGN.md §4, parsed strictly; absent facts stay unknown."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from repatria.i18n import N_
from repatria.law.document_parts import (
    AgreedException,
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
    exceptions: list[AgreedException] | None = None


# Marked for translation: the web and the API say them in the reader's language.
_PLAIN_WORDS = {
    "missing": N_("is required"),
    "extra_forbidden": N_("is not a known field"),
    "bool_type": N_("must be true or false"),
    "int_type": N_("must be a whole number"),
    "float_type": N_("must be a number"),
    "string_type": N_("must be a string"),
    "list_type": N_("must be a list"),
    "model_type": N_("must be an object"),
    "model_attributes_type": N_("must be an object"),
    "literal_error": "",
    "greater_than": "",
    "greater_than_equal": "",
    "string_too_short": N_("must not be empty"),
}


# Parts of a pydantic error location that name a member of a union type, not a field.
_TYPE_TAGS = {"int", "float", "str", "bool", "list", "dict", "none", "date", "datetime"}


def _reason(error: Any) -> str:
    plain = _PLAIN_WORDS.get(error["type"])
    if plain:
        return plain
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _field(location: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in location]
    while parts and (parts[-1] in _TYPE_TAGS or "[" in parts[-1]):
        parts.pop()
    return ".".join(parts) or "document"


def parse_document(raw: object) -> AssessmentDocument:
    """Parse a raw JSON value into a document; InvalidDocument names the first bad field."""
    if not isinstance(raw, dict):
        raise InvalidDocument("document", N_("must be a JSON object"))
    try:
        document = AssessmentDocument.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidDocument(_field(first["loc"]), _reason(first)) from None
    return document


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise InvalidDocument(key, N_("appears twice in the same object"))
        found[key] = value
    return found


def _no_constant(name: str) -> float:
    raise InvalidDocument(
        "document", N_("not valid JSON (%(name)s is not a JSON number)"), name=name
    )


def load_json(text: str | bytes) -> object:
    """Decode one JSON document strictly: a key given twice in an object, or NaN and
    Infinity (which Python's decoder accepts), make it invalid (InvalidDocument)."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InvalidDocument(
            "document",
            N_("not valid JSON (%(problem)s at line %(line)s, column %(column)s)"),
            problem=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        ) from None
