"""The schema every law data file must satisfy: citations, parties, dated values, rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from repatria.law.countries import country_problem
from repatria.law.document_parts import GroundName

Ground = GroundName
GROUNDS: tuple[str, ...] = get_args(Ground)  # the closed list of DESIGN.md §4, in order
# When a rule applies. `holds_listed` and `death_sentence_stated`: only where the document
# states that fact (a treaty transfer's scope and safeguard facts that a removal must have).
When = Literal[
    "always",
    "us_involved",
    "us_outbound",
    "us_inbound",
    "holds_listed",
    "death_sentence_stated",
]
DATA = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


def _country(value: object) -> object:
    problem = country_problem(value) if isinstance(value, str) else "must be a country code"
    if problem:
        raise ValueError(problem)
    return value


State = Annotated[str, BeforeValidator(_country)]


class Citation(BaseModel):
    """Where a rule or value comes from: title, article or section, link where one exists."""

    model_config = DATA
    title: str = Field(min_length=1)
    article: str | None = None
    url: str | None = None

    def render(self) -> str:
        """One line: title, article (link)."""
        text = self.title + (f", {self.article}" if self.article else "")
        return text + (f" ({self.url})" if self.url else "")


class SpanishTitle(BaseModel):
    """An instrument's title in Spanish: its own, as published in Spanish (`official`), or
    where none was read, a translation that says it is one. `source` says where it was read."""

    model_config = DATA
    text: str = Field(min_length=1)
    official: bool
    source: str = Field(min_length=1)


class Fact(BaseModel):
    """Any recorded fact: whether it was checked against the legal text, and where."""

    model_config = DATA
    verified: bool
    source: str = Field(min_length=1)
    note: str | None = None
    # law: a treaty, statute, regulation or court order; policy: an agency's practice or
    # memo, which binds no court; project: a default this project chose where the law is silent.
    basis: Literal["law", "policy", "project"] = "law"


class Party(Fact):
    """A state bound by an instrument from one date (and, if it left, until another)."""

    state: State
    from_: date = Field(alias="from")
    until: date | None = None
    # Where the accession is published; required of a local amendment's entries (the verdict
    # that rests on one cites it), optional in the shipped data, whose `source` says as much.
    citation: Citation | None = None
    # The day this installation learned of the entry, where it was later than the day it
    # applies in law (`repatria assess --as-known-on`); absent: known all along.
    known_from: date | None = None


class NonParty(Fact):
    """A state checked and found not to be bound by an instrument."""

    state: State


class Agreement(Fact):
    """A custody arrangement under which a host state holds another state's people."""

    sending: State
    host: State
    from_: date = Field(alias="from")
    until: date | None = None
    citation: Citation


class DatedValue(Fact):
    """A parameter value in force from a date, with optional values for particular states."""

    from_: date = Field(alias="from")
    value: Any
    by_state: dict[State, Any] = Field(default_factory=dict)
    citation: Citation
    known_from: date | None = None  # as a party's: the day the installation learned of it


class Parameter(BaseModel):
    """A parameter of the law, as a history of dated values (never rewritten, only extended)."""

    model_config = DATA
    description: str = Field(min_length=1)
    unit: str | None = None
    deadline_from: Literal["request_received_on", "receiving_state_approval"] | None = None
    values: list[DatedValue] = Field(min_length=1)

    @model_validator(mode="after")
    def _ascending(self) -> Parameter:
        starts = [value.from_ for value in self.values]
        if starts != sorted(set(starts)):
            raise ValueError("values must be in ascending order of 'from', one per date")
        return self


class Waiver(Fact):
    """Where the instrument lets the two states agree to waive a rule's condition."""

    citation: Citation


class Rule(Fact):
    """One condition of an authority: which check runs, its ground, and its citation."""

    id: Identifier
    check: Identifier
    ground: Ground
    description: str = Field(min_length=1)
    description_es: str | None = Field(default=None, min_length=1)  # the same, in Spanish
    citation: Citation
    when: When = "always"
    params: dict[str, str] = Field(default_factory=dict)
    waivable: Waiver | None = None  # absent: the states may not waive it


class PartyList(BaseModel):
    """Whether the list of parties is complete, as of when and per which source. A complete
    list with no `as_of` is closed for good (a bilateral treaty, a national statute)."""

    model_config = DATA
    complete: bool
    as_of: date | None = None
    source: str = Field(min_length=1)


class Ruling(Fact):
    """A court's ruling that enjoins an authority or holds it unlawful, in whole or in part."""

    court: str = Field(min_length=1)
    decided_on: date
    holding: str = Field(min_length=1)
    citation: Citation


class RuleSet(Fact):
    """A named set of rules and parameters (an authority, or rules shared across several)."""

    id: Identifier
    title: str = Field(min_length=1)
    title_es: SpanishTitle | None = None
    citation: Citation
    rules: list[Rule] = Field(default_factory=list)
    parameters: dict[str, Parameter] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> RuleSet:
        ids = [rule.id for rule in self.rules]
        duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicates:
            raise ValueError(f"rule ids used twice: {', '.join(duplicates)}")
        return self


class Authority(RuleSet):
    """A legal basis for moving people, with its parties and the rule sets it includes."""

    kind: Literal["transfer", "removal", "custody"]
    parties: list[Party] = Field(min_length=1)
    # Absent: the list is not known to be complete, so a state missing from it is unknown.
    party_list: PartyList | None = None
    not_parties: list[NonParty] = Field(default_factory=list)
    contested: list[Ruling] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
    includes: list[Identifier] = Field(default_factory=list)
