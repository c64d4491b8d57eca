"""Situations in which an instrument lets a transfer go ahead without the person's consent."""

from __future__ import annotations

from collections.abc import Callable

from repatria.law.document import AssessmentDocument

Exemption = Callable[[AssessmentDocument], bool | None]


def _fled(doc: AssessmentDocument) -> bool | None:
    fled, citizenships = doc.person.fled_to_state_of_nationality, doc.person.citizenships
    if fled is False or (citizenships is not None and doc.to_state not in citizenships):
        return False
    return None if fled is None or citizenships is None else True


def _expulsion_order(doc: AssessmentDocument) -> bool | None:
    return doc.person.expulsion_order


def _lives_in_state_of_nationality(doc: AssessmentDocument) -> bool | None:
    residence, citizenships = doc.person.residence_country, doc.person.citizenships
    if (residence is not None and residence != doc.to_state) or (
        citizenships is not None and doc.to_state not in citizenships
    ):
        return False
    return None if residence is None or citizenships is None else True


def _deported_there(doc: AssessmentDocument) -> bool | None:
    destination = doc.person.deportation_country
    if destination is None:
        return False if doc.person.expulsion_order is False else None
    return destination == doc.to_state


EXEMPTIONS: dict[str, tuple[Exemption, str]] = {
    "fled-to-state-of-nationality": (_fled, "fled to the state of nationality"),
    "expulsion-order": (_expulsion_order, "subject to an expulsion or deportation order"),
    "lives-in-state-of-nationality": (
        _lives_in_state_of_nationality,
        "a national who lives in the receiving state",
    ),
    "deportation-country": (_deported_there, "to be deported to the receiving state on release"),
}


def exemption_applies(doc: AssessmentDocument, names: list[str]) -> tuple[bool | None, str]:
    """Whether one of the named exemptions applies (None: cannot tell), with which one."""
    undecided = []
    for name in names:
        test, label = EXEMPTIONS[name]
        result = test(doc)
        if result:
            return True, label
        if result is None:
            undecided.append(label)
    if undecided:
        return None, " or ".join(undecided)
    return False, ""
