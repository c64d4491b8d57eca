"""The common amendments as forms: a new party to an authority from a date, a new dated
value of a parameter, a court order affecting an authority. Each becomes the YAML overlay a
legal officer would otherwise upload, and is then validated and reviewed as one."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from repatria.domain.errors import InvalidInput
from repatria.i18n import N_

Kind = Literal["party", "value", "ruling"]
NEEDED: dict[str, tuple[str, ...]] = {
    "party": ("state",),
    "value": ("parameter", "value"),
    "ruling": ("court", "holding"),
}


class AmendmentForm(BaseModel):
    """One common amendment, field by field."""

    model_config = ConfigDict(extra="forbid")
    kind: Kind
    target: str = Field(min_length=1, max_length=60)  # the authority (or rule set) amended
    on: date  # the day it applies in law: accession, value in force, ruling decided
    state: str = ""  # a party
    parameter: str = ""  # a dated value: the parameter, and its value (YAML: 24, [a, b])
    value: str = ""
    basis: Literal["law", "policy", "project"] = "law"
    court: str = ""  # a ruling: the court and what it held
    holding: str = Field(default="", max_length=4000)
    citation_title: str = Field(min_length=1, max_length=300)
    citation_article: str = ""
    citation_url: str = ""
    source: str = Field(min_length=1, max_length=4000)  # where it was read
    verified: bool = False

    @model_validator(mode="after")
    def _complete(self) -> AmendmentForm:
        for name in NEEDED[self.kind]:
            if not str(getattr(self, name)).strip():
                raise ValueError(f"{name}: required for a new {self.kind}")
        return self


def _citation(form: AmendmentForm) -> dict[str, str]:
    found = {"title": form.citation_title}
    if form.citation_article:
        found["article"] = form.citation_article
    if form.citation_url:
        found["url"] = form.citation_url
    return found


def overlay(form: AmendmentForm) -> str:
    """The YAML overlay the form stands for."""
    fact: dict[str, Any] = {"verified": form.verified, "source": form.source}
    body: dict[str, Any] = {"amends": form.target}
    if form.kind == "party":
        entry = {"state": form.state.upper(), "from": form.on, **fact}
        body["parties"] = [{**entry, "citation": _citation(form)}]
    elif form.kind == "value":
        try:
            value = yaml.safe_load(form.value)
        except yaml.YAMLError:
            raise InvalidInput(
                "value", N_("%(value)s is not a value (24, [a, b])"), value=repr(form.value)
            ) from None
        entry = {"from": form.on, "value": value, "basis": form.basis, **fact}
        body["parameters"] = {form.parameter: {"values": [{**entry, "citation": _citation(form)}]}}
    else:
        ruling = {"court": form.court, "decided_on": form.on, "holding": form.holding, **fact}
        body["contested"] = [{**ruling, "citation": _citation(form)}]
    return yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
