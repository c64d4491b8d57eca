"""Situations in which an instrument lets a transfer go ahead without the person's consent,
each as a three-valued condition (unknown: cannot tell)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from repatria.law.checks.vocabulary import CITIZENSHIPS, TO
from repatria.law.expr import Const, Contains, Expr, Field, IfElse, any_of, text
from repatria.law.language import Language, Words, joined

_NATIONAL = Contains(CITIZENSHIPS.path, TO)
_DEPORTED_TO = Field("person.deportation_country")
_EXPELLED = Field("person.expulsion_order")

EXEMPTIONS: dict[str, tuple[Expr, Words]] = {
    "fled-to-state-of-nationality": (
        Field("person.fled_to_state_of_nationality") & _NATIONAL,
        Words(
            "fled to the state of nationality", "una persona que huyó al Estado de su nacionalidad"
        ),
    ),
    "expulsion-order": (
        _EXPELLED,
        Words(
            "subject to an expulsion or deportation order",
            "una persona objeto de una orden de expulsión o deportación",
        ),
    ),
    "lives-in-state-of-nationality": (
        Field("person.residence_country").eq(TO) & _NATIONAL,
        Words(
            "a national who lives in the receiving state",
            "un nacional que reside en el Estado receptor",
        ),
    ),
    "deportation-country": (
        IfElse(
            _DEPORTED_TO.is_null(),
            IfElse(_EXPELLED.eq(False), Const(False), Const(None)),
            _DEPORTED_TO.eq(TO),
        ),
        Words(
            "to be deported to the receiving state on release",
            "una persona que será deportada al Estado receptor al quedar en libertad",
        ),
    ),
}


def _label(labels: Sequence[Words]) -> object:
    def words(language: Language, *values: bool | None) -> str:
        for value, label in zip(values, labels, strict=True):
            if value:
                return label(language)
        return joined(
            (label(language) for value, label in zip(values, labels, strict=True) if value is None),
            "or",
            language,
        )

    return words


JUDGMENT_DATE = Field("sentence.judgment_date")


def _name(entry: str | Mapping[str, Any]) -> str:
    return entry if isinstance(entry, str) else str(entry["name"])


def is_exemption_list(value: object) -> bool:
    """A list of exemption names, or of `{name, withheld: [{state, judgments_before}]}`: an
    exemption a receiving state may withhold for judgments issued before a date."""
    if not isinstance(value, list):
        return False
    for entry in value:
        if isinstance(entry, dict):
            withheld = entry.get("withheld", [])
            if set(entry) - {"name", "withheld"} or not isinstance(withheld, list):
                return False
            if not all(
                isinstance(w, dict)
                and set(w) == {"state", "judgments_before"}
                and isinstance(w["judgments_before"], date)
                for w in withheld
            ):
                return False
        if _name(entry) not in EXEMPTIONS:
            return False
    return True


def _condition(entry: str | Mapping[str, Any]) -> Expr:
    """An exemption's condition, unless the receiving state withholds it for a judgment issued
    before its date (unknown where the judgment's date is)."""
    condition = EXEMPTIONS[_name(entry)][0]
    withheld = [] if isinstance(entry, str) else entry.get("withheld", [])
    for rule in withheld:
        applies = TO.eq(rule["state"]) & (rule["judgments_before"] > JUDGMENT_DATE)
        condition = condition & ~applies
    return condition


def exemption(entries: Sequence[str | Mapping[str, Any]]) -> tuple[Expr, Expr]:
    """Whether one of the named exemptions applies (unknown: cannot tell), and the words for
    the one that does (or for those that cannot be told)."""
    conditions = [_condition(entry) for entry in entries]
    labels = [EXEMPTIONS[_name(entry)][1] for entry in entries]
    return any_of(*conditions), text(_label(labels), *conditions)  # type: ignore[arg-type]
