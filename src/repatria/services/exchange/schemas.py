"""The JSON Schema of the envelope and of each kind of message's body (version 1).

Only what the instrument requires crosses the border: the person's identity and nationality,
the sentence, the consent's status and the sending state's assessment, never the other side's
database ids; each side keeps its own, linked by the case reference."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_VERSION = 1
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_MOMENT = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"}
_STATE = {"type": "string", "pattern": "^[A-Z]{2}$"}
_TEXT = {"type": "string", "maxLength": 4000}
_NAME = {"type": "string", "minLength": 1, "maxLength": 200}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": sorted(required),
        "additionalProperties": False,
    }


_PERSON = _object(
    {
        "family_name": _NAME,
        "given_names": _NAME,
        "birth_date": {"oneOf": [_DATE, {"type": "null"}]},
    },
    {
        "citizenships": {
            "type": "array",
            "maxItems": 10,
            "items": _object(
                {"country": _STATE}, {"acquired_on": {"oneOf": [_DATE, {"type": "null"}]}}
            ),
        }
    },
)
_SENTENCE = _object(
    {
        "offense": _NAME,
        "offense_category": {"type": "string", "maxLength": 40},
        "jurisdiction": {"type": "string", "maxLength": 100},
        "start_date": _DATE,
        "length_days": {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]},
    },
    {
        "credit_days": {"type": "integer", "minimum": 0},
        **{
            flag: {"type": "boolean"}
            for flag in (
                "indeterminate",
                "death_sentence",
                "final",
                "appeal_pending",
                "collateral_attack_pending",
                "state_prisoner",
            )
        },
    },
)

BODIES: dict[str, dict[str, Any]] = {
    "transfer_request": _object(
        {
            "authority": {"type": "string", "maxLength": 60},
            "person": _PERSON,
            "sentences": {"type": "array", "maxItems": 20, "items": _SENTENCE},
            "consent": _object(
                {"status": {"enum": ["not_verified", "verified", "refused"]}},
                {"verified_on": {"oneOf": [_DATE, {"type": "null"}]}},
            ),
            "assessment": _object(
                {
                    "allowed": {"type": "boolean"},
                    "as_of": _DATE,
                    "law_digest": {"type": "string", "maxLength": 128},
                },
                {"pending": {"type": "array", "items": {"type": "string"}}},
            ),
            "sending_approved_on": _DATE,
        },
        {
            "request_received_on": {"oneOf": [_DATE, {"type": "null"}]},
            # The facts an officer established from the file that the instrument asks about
            # (domicile, dual criminality, competence, other charges).
            "facts": {
                "type": "object",
                "maxProperties": 40,
                "additionalProperties": {"type": ["boolean", "integer", "string", "null"]},
            },
        },
    ),
    "decision": _object(
        {"decision": {"enum": ["approve", "refuse"]}, "decided_on": _DATE, "reasons": _TEXT}
    ),
    "consent_verification": _object(
        {
            "verified_on": _DATE,
            "outcome": {"enum": ["verified", "refused"]},
            "verifier_role": {"type": "string", "maxLength": 60},
        }
    ),
    "movement_notice": _object(
        {
            "movement": {"type": "string", "maxLength": 200},
            "departed_on": _DATE,
            "manifest": {"type": "array", "maxItems": 1000, "items": {"type": "string"}},
        }
    ),
    "arrival_confirmation": _object({"arrived_on": _DATE}),
    "withdrawal": _object({"on": _DATE, "reason": _TEXT}),
}
KINDS = tuple(BODIES)

ENVELOPE = _object(
    {
        "v": {"const": SCHEMA_VERSION},
        "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        "from": _STATE,
        "to": _STATE,
        "seq": {"type": "integer", "minimum": 1},
        "kind": {"enum": list(KINDS)},
        "iat": _MOMENT,
        "case_reference": {"type": "string", "minLength": 1, "maxLength": 64},
        "body": {"type": "object"},
        "checkpoint": {
            "oneOf": [
                {"type": "null"},
                _object(
                    {"note": {"type": "string", "maxLength": 4000}},
                    {
                        "from_size": {"type": "integer", "minimum": 0},
                        "proof": {
                            "type": "array",
                            "maxItems": 128,
                            "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        },
                    },
                ),
            ]
        },
    }
)

_ENVELOPE_VALIDATOR = Draft202012Validator(ENVELOPE)
_BODY_VALIDATORS = {kind: Draft202012Validator(schema) for kind, schema in BODIES.items()}


def problems(payload: Any) -> list[str]:
    """What is wrong with an envelope's payload by its schema and its kind's (none: valid),
    each naming the field."""
    found = [_say(e) for e in _ENVELOPE_VALIDATOR.iter_errors(payload)]
    if found:
        return found
    validator = _BODY_VALIDATORS[payload["kind"]]
    return [_say(e, "body") for e in validator.iter_errors(payload["body"])]


def _say(error: Any, prefix: str = "") -> str:
    path = ".".join(str(p) for p in (prefix, *error.absolute_path) if p != "")
    return f"{path or 'envelope'}: {error.message}"
