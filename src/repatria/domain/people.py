"""People in custody and the legal facts held about them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class OffenseCategory(enum.StrEnum):
    """The closed list of offence categories of the assessment contract."""

    DRUG_TRAFFICKING = "drug_trafficking"
    VIOLENT = "violent"
    SEXUAL = "sexual"
    PROPERTY = "property"
    FRAUD = "fraud"
    FIREARMS = "firearms"
    IMMIGRATION = "immigration"
    POLITICAL = "political"
    MILITARY = "military"
    OTHER = "other"


class ProtectionKind(enum.StrEnum):
    """Orders that bar removal of a person to one named country."""

    WITHHOLDING = "withholding"
    CAT_WITHHOLDING = "cat_withholding"
    CAT_DEFERRAL = "cat_deferral"


class HoldKind(enum.StrEnum):
    """Court orders that stop any movement of the person while they stand."""

    TRO = "tro"
    INJUNCTION = "injunction"
    STAY = "stay"
    HABEAS_PENDING = "habeas_pending"


@dataclass(eq=False)
class Citizenship:
    """A nationality, with the dates it was acquired and (if ever) lost."""

    country: str
    acquired_on: date | None = None
    lost_on: date | None = None
    id: int | None = None

    def held_on(self, day: date) -> bool:
        """True if the person held this nationality on the day."""
        started = self.acquired_on is None or self.acquired_on <= day
        return started and (self.lost_on is None or day < self.lost_on)


@dataclass(eq=False)
class Identifier:
    """A number another system knows the person by (register number, A-number, CURP)."""

    scheme: str
    value: str
    id: int | None = None


@dataclass(eq=False)
class Sentence:
    """A sentence being served, with what the legal engine needs to reason about it."""

    offense: str
    offense_category: OffenseCategory
    jurisdiction: str
    start_date: date
    length_days: int | None
    credit_days: int = 0
    indeterminate: bool = False
    death_sentence: bool = False
    final: bool = True
    appeal_pending: bool = False
    collateral_attack_pending: bool = False
    state_prisoner: bool = False
    id: int | None = None


@dataclass(eq=False)
class ProtectionOrder:
    """A court or agency order barring removal to one country."""

    kind: ProtectionKind
    country: str
    issued_on: date
    terminated_on: date | None = None
    issued_by: str = ""
    id: int | None = None

    def in_force_on(self, day: date) -> bool:
        """True from issue until termination."""
        return self.issued_on <= day and (self.terminated_on is None or day < self.terminated_on)


@dataclass(eq=False)
class Hold:
    """A court order stopping movement (TRO, injunction, stay, pending habeas)."""

    kind: HoldKind
    issued_on: date
    lifted_on: date | None = None
    court: str = ""
    reference: str = ""
    id: int | None = None

    def in_force_on(self, day: date) -> bool:
        """True from issue until lifted."""
        return self.issued_on <= day and (self.lifted_on is None or day < self.lifted_on)


@dataclass(eq=False)
class RemovalOrder:
    """An order of removal, with the countries it designates."""

    issued_on: date
    final: bool
    designated_countries: list[str] = field(default_factory=list)
    id: int | None = None


@dataclass(eq=False)
class Person:
    """A person in the custody of one state (the state holding them)."""

    family_name: str
    given_names: str
    birth_date: date | None
    held_by_state: str
    created_at: datetime
    updated_at: datetime
    citizenships: list[Citizenship] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    protection_orders: list[ProtectionOrder] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    removal_orders: list[RemovalOrder] = field(default_factory=list)
    version: int = 1
    id: int | None = None

    def nationalities_on(self, day: date) -> list[str]:
        """The countries of which the person was a national on the day."""
        return sorted({c.country for c in self.citizenships if c.held_on(day)})
