"""The parts of an assessment document: person, sentence, consent, orders, notice."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    field_validator,
)

from repatria.law.fields import STRICT, Countries, Country, IsoDate, IsoDateTime

OffenseCategory = Literal[
    "drug_trafficking",
    "violent",
    "sexual",
    "property",
    "fraud",
    "firearms",
    "immigration",
    "political",
    "military",
    "other",
]
ConsentGiver = Literal["person", "parent", "guardian", "court", "legal_representative"]
Verifier = Literal["magistrate_judge", "judge", "designated_officer", "consular_officer", "other"]
GroundName = Literal[
    "AUTHORITY",
    "NATIONALITY",
    "CITIZENSHIP",
    "DOMICILE",
    "FINALITY",
    "REMAINING_SENTENCE",
    "DUAL_CRIMINALITY",
    "EXCLUDED_OFFENSE",
    "PENDING_CHARGES",
    "CONSENT",
    "APPROVAL",
    "DEATH_PENALTY",
    "PROTECTION_ORDER",
    "HOLD",
    "NOTICE",
    "REMOVAL_ORDER",
    "CAPACITY",
    "CONTRACT",
]
FearOutcome = Literal["pending", "screened_positive", "screened_negative", "granted", "denied"]


def _not_before_issue(cls: type, value: date | None, info: ValidationInfo) -> date | None:
    issued = info.data.get("issued_on")
    if value is not None and issued is not None and value < issued:
        raise ValueError(f"{value} is before the order was issued on {issued}")
    return value


class Person(BaseModel):
    """Who is to be moved; extensions beyond DESIGN.md §4 are all optional."""

    model_config = STRICT
    birth_date: IsoDate | None = None
    citizenships: Countries | None = None
    competent: StrictBool | None = None
    # ge on a union reaches the API document as a stray "ge": minimum written out instead.
    years_in_sending_state: StrictFloat | StrictInt | None = Field(
        default=None,
        ge=0,
        json_schema_extra={"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]},
    )
    intends_to_remain: StrictBool | None = None
    residence_country: Country | None = None
    fled_to_state_of_nationality: StrictBool | None = None
    expulsion_order: StrictBool | None = None
    deportation_country: Country | None = None
    lawful_permanent_resident: StrictBool | None = None
    # A recorded finding that the person is a member of the organisation a proclamation under
    # the Alien Enemies Act names (Proclamation 10903 reaches only such members).
    member_of_designated_organisation: StrictBool | None = None


class Sentence(BaseModel):
    """The sentence being served and the state of the proceedings."""

    model_config = STRICT
    offense_category: OffenseCategory | None = None
    dual_criminality: StrictBool | None = None
    start_date: IsoDate | None = None
    length_days: StrictInt | None = Field(default=None, gt=0)
    credit_days: StrictInt | None = Field(default=None, ge=0)
    indeterminate: StrictBool | None = None
    death_sentence: StrictBool | None = None
    final: StrictBool | None = None
    appeal_pending: StrictBool | None = None
    collateral_attack_pending: StrictBool | None = None
    other_charges_pending: StrictBool | None = None
    state_prisoner: StrictBool | None = None
    judgment_date: IsoDate | None = None

    @field_validator("credit_days")
    @classmethod
    def _credit_within_length(cls, value: int | None, info: ValidationInfo) -> int | None:
        length = info.data.get("length_days")
        if value is not None and length is not None and value > length:
            raise ValueError(f"{value} days of credit exceed the {length}-day sentence")
        return value


class Consent(BaseModel):
    """Who consented, and when and by whom the consent was verified."""

    model_config = STRICT
    given_by: ConsentGiver | None = None
    verified_on: IsoDate | None = None
    verified_by: Verifier | None = None
    opinion_recorded: StrictBool | None = None


class Approvals(BaseModel):
    """The dates on which each state approved the transfer (null: no approval on file)."""

    model_config = STRICT
    sending_state: IsoDate | None = None
    receiving_state: IsoDate | None = None
    us_state: IsoDate | None = None


class RemovalOrder(BaseModel):
    """An order of removal and the countries it designates."""

    model_config = STRICT
    final: StrictBool | None = None
    designated_countries: Countries | None = None
    # Removal to a third country: its government's acceptance (8 U.S.C. § 1231(b)(2)), and
    # whether diplomatic assurances are relied on and were found reliable (8 CFR 208.18(c)).
    destination_accepts: StrictBool | None = None
    assurances_relied_on: StrictBool | None = None
    assurances_found_reliable: StrictBool | None = None


class Notice(BaseModel):
    """Written notice of a removal served on the person."""

    model_config = STRICT
    served_at: IsoDateTime | None = None
    explains_how_to_contest: StrictBool | None = None
    language_understood: StrictBool | None = None
    country: Country | None = None


class FearClaim(BaseModel):
    """A claim of fear of persecution or torture in the destination, and its outcome."""

    model_config = STRICT
    raised: StrictBool | None = None
    outcome: FearOutcome | None = None
    # The country the claim concerns: withholding and CAT protection bar removal there only.
    country: Country | None = None


class ProtectionOrder(BaseModel):
    """A withholding or CAT order barring removal to one country."""

    model_config = STRICT
    kind: str | None = None
    country: Country
    issued_on: IsoDate | None = None
    terminated_on: IsoDate | None = None

    _terminated_after_issue = field_validator("terminated_on")(_not_before_issue)


class Hold(BaseModel):
    """A court order (TRO, injunction, stay, pending habeas) that stops a movement."""

    model_config = STRICT
    kind: str | None = None
    issued_on: IsoDate | None = None
    lifted_on: IsoDate | None = None

    _lifted_after_issue = field_validator("lifted_on")(_not_before_issue)


class AgreedException(BaseModel):
    """Both states' agreement to waive a condition the instrument lets them waive."""

    model_config = STRICT
    ground: GroundName
    by: Countries = Field(min_length=1)
    agreed_on: IsoDate
    reason: str | None = None
