"""Situations in which an instrument lets a transfer go ahead without the person's consent,
each as a three-valued condition (unknown: cannot tell)."""

from __future__ import annotations

from collections.abc import Sequence

from repatria.law.checks.vocabulary import CITIZENSHIPS, TO
from repatria.law.expr import Const, Contains, Expr, Field, IfElse, any_of, text

_NATIONAL = Contains(CITIZENSHIPS.path, TO)
_DEPORTED_TO = Field("person.deportation_country")
_EXPELLED = Field("person.expulsion_order")

EXEMPTIONS: dict[str, tuple[Expr, str]] = {
    "fled-to-state-of-nationality": (
        Field("person.fled_to_state_of_nationality") & _NATIONAL,
        "fled to the state of nationality",
    ),
    "expulsion-order": (_EXPELLED, "subject to an expulsion or deportation order"),
    "lives-in-state-of-nationality": (
        Field("person.residence_country").eq(TO) & _NATIONAL,
        "a national who lives in the receiving state",
    ),
    "deportation-country": (
        IfElse(
            _DEPORTED_TO.is_null(),
            IfElse(_EXPELLED.eq(False), Const(False), Const(None)),
            _DEPORTED_TO.eq(TO),
        ),
        "to be deported to the receiving state on release",
    ),
}


def _label(labels: Sequence[str]) -> object:
    def words(*values: bool | None) -> str:
        for value, label in zip(values, labels, strict=True):
            if value:
                return label
        return " or ".join(
            label for value, label in zip(values, labels, strict=True) if value is None
        )

    return words


def exemption(names: Sequence[str]) -> tuple[Expr, Expr]:
    """Whether one of the named exemptions applies (unknown: cannot tell), and the words for
    the one that does (or for those that cannot be told)."""
    conditions = [EXEMPTIONS[name][0] for name in names]
    labels = [EXEMPTIONS[name][1] for name in names]
    return any_of(*conditions), text(_label(labels), *conditions)  # type: ignore[arg-type]
