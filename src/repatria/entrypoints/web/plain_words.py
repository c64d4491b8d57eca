"""An assessment's checks as an official reads them: what the law requires (the law page's
text), whether it is met, the reason without code values, the values of the law it used, and
its sources as links, official ones (government, treaty office, court) first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from repatria.i18n import N_, current_language
from repatria.i18n import gettext as _
from repatria.law.catalog import load_catalog

GROUNDS = {
    "AUTHORITY": N_("a treaty or law in force between the two states"),
    "NATIONALITY": N_("nationality"),
    "CITIZENSHIP": N_("citizenship"),
    "DOMICILE": N_("domicile"),
    "FINALITY": N_("a final judgment"),
    "REMAINING_SENTENCE": N_("time left to serve"),
    "DUAL_CRIMINALITY": N_("dual criminality"),
    "EXCLUDED_OFFENSE": N_("the kind of offence"),
    "PENDING_CHARGES": N_("other pending charges"),
    "CONSENT": N_("consent"),
    "APPROVAL": N_("approval by the states"),
    "DEATH_PENALTY": N_("no death sentence"),
    "PROTECTION_ORDER": N_("protection orders"),
    "HOLD": N_("court orders that stop the movement"),
    "NOTICE": N_("notice to the person"),
    "REMOVAL_ORDER": N_("the removal order"),
    "CAPACITY": N_("a free place"),
    "CONTRACT": N_("a custody contract in force"),
}
OUTCOMES = {
    "pass": N_("met"),
    "fail": N_("not met"),
    "unknown": N_("not yet known"),
    "waived": N_("waived"),
}
# Hosts of official publishers: governments, treaty offices, courts.
OFFICIAL_SUFFIXES = (
    ".gov",
    ".gob.mx",
    ".gob.sv",
    ".gob.ve",
    ".mil",
    "europa.eu",
    "coe.int",
    "oas.org",
    "un.org",
    "gc.ca",
    "legifrance.gouv.fr",
)
_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
_LIST = re.compile(r"\[([^\[\]]*)\]")
_VALUE = re.compile(
    r"^(?P<name>[a-z][a-z0-9_]*) = (?P<value>.*?)(?: for (?P<state>[A-Z]{2}))?"
    r" from (?P<since>\d{4}-\d{2}-\d{2}) \((?P<source>.*)\)$"
)
_SOURCE = re.compile(
    r"^(?P<text>.*?)(?: \((?P<url>https?://[^\s()]+(?:\([^\s()]*\))?[^\s()]*)\))?$"
)


@dataclass(frozen=True)
class Source:
    """One legal source: its words and, where one exists, its link."""

    text: str
    url: str | None = None

    @property
    def official(self) -> bool:
        """Whether a government, treaty office or court publishes it."""
        host = (urlsplit(self.url).hostname or "").rstrip(".") if self.url else ""
        return any(host == s.lstrip(".") or host.endswith(s) for s in OFFICIAL_SUFFIXES)


@dataclass(frozen=True)
class LawValue:
    """A value of the law a check used, in words."""

    name: str
    value: str
    since: str
    state: str | None
    source: Source


@dataclass(frozen=True)
class CheckRow:
    """One check of a verdict, as the case page shows it."""

    rule: str
    ground: str
    code: str  # the ground's code (DOMICILE), for the page to compare
    outcome: str
    outcome_words: str
    requires: str
    reason: str
    sources: list[Source] = field(default_factory=list)
    values: list[LawValue] = field(default_factory=list)


def code_to_words(text: str) -> str:
    """Code values in a sentence as words: `['political', 'immigration']` → political,
    immigration; `drug_trafficking` → drug trafficking; True/False → yes/no."""
    text = _LIST.sub(lambda m: ", ".join(_unquoted(m.group(1))), text)
    text = re.sub(r"\bTrue\b", "yes", re.sub(r"\bFalse\b", "no", text))
    return _CODE.sub(lambda m: m.group(0).replace("_", " "), text)


def _unquoted(items: str) -> list[str]:
    return [item.strip().strip("'\"") for item in items.split(",")]


def source_of(text: str) -> Source:
    """A rendered citation (`title, article (url)`) as a source."""
    found = _SOURCE.match(text.strip())
    assert found is not None  # the pattern matches any text
    return Source(found.group("text"), found.group("url"))


def _law_values(citation: str) -> list[LawValue]:
    values = []
    for part in citation.split("; "):
        found = _VALUE.match(part)
        if found:
            values.append(
                LawValue(
                    name=found.group("name").replace("_", " "),
                    value=code_to_words(found.group("value")),
                    since=found.group("since"),
                    state=found.group("state"),
                    source=source_of(found.group("source")),
                )
            )
    return values


def ordered(sources: list[Source]) -> list[Source]:
    """Distinct sources, official ones first (order otherwise kept)."""
    distinct = list(dict.fromkeys(sources))
    return [s for s in distinct if s.official] + [s for s in distinct if not s.official]


def check_rows(verdict: dict[str, Any]) -> list[CheckRow]:
    """Every check of a verdict in plain words, with what the law requires beside it."""
    rules = {f"{owner.id}/{rule.id}": rule for owner, rule in load_catalog().all_rules()}
    rows = []
    for check in verdict.get("checks", []):
        rule = rules.get(check["rule"])
        citation = str(check.get("citation") or "")
        values = _law_values(citation)
        main = [source_of(rule.citation.render())] if rule else []
        if rule is None and citation:
            main = [source_of(citation.split("; ")[0])]
        rows.append(
            CheckRow(
                rule=check["rule"],
                ground=ground_words(check["ground"]),
                code=check["ground"],
                outcome=check["outcome"],
                outcome_words=_(OUTCOMES[check["outcome"]])
                if check["outcome"] in OUTCOMES
                else check["outcome"],
                requires=code_to_words(_described(rule)) if rule else "",
                reason=code_to_words(str(check.get("reason") or "")),
                sources=ordered(main + [v.source for v in values]),
                values=values,
            )
        )
    return rows


def _described(rule: Any) -> str:
    """What a rule requires, in Spanish where the law data says it in Spanish."""
    spanish = getattr(rule, "description_es", None)
    return str(spanish) if current_language() == "es" and spanish else str(rule.description)


def ground_words(ground: str) -> str:
    """A ground (DUAL_CRIMINALITY) as words, in the reader's language."""
    return _(GROUNDS[ground]) if ground in GROUNDS else ground.lower().replace("_", " ")


def grounds_in_words(grounds: list[str]) -> str:
    """Grounds as a comma-separated phrase, each once, in the order given."""
    return ", ".join(dict.fromkeys(ground_words(g) for g in grounds))
