"""Checks that the governments concerned have approved the transfer by the date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from repatria.law.checks.base import check
from repatria.law.checks.vocabulary import AS_OF, FROM, TO
from repatria.law.expr import Decide, Field, decide, failing, passing, text, unknown
from repatria.law.language import Language, Words, country, day_in
from repatria.law.schema import Authority

SENDING, RECEIVING = Field("approvals.sending_state"), Field("approvals.receiving_state")
US_STATE = Field("approvals.us_state")


def _sides(wanted: str) -> Any:
    """Words for the approvals that are late ('fail'), missing ('unknown') or given ('pass')."""

    def words(
        language: Language,
        approvals: object,
        sending: date | None,
        receiving: date | None,
        from_state: str,
        to_state: str,
        as_of: date,
    ) -> str:
        sender, receiver = country(language, from_state), country(language, to_state)
        if approvals is None:
            return _NONE_ON_FILE(language).format(sending=sender, receiving=receiver)
        found = []
        for label, on in (
            (_SENDING_STATE(language).format(state=sender), sending),
            (_RECEIVING_STATE(language).format(state=receiver), receiving),
        ):
            if on is None:
                found.append(("unknown", _NOT_ON_FILE(language).format(label=label)))
            elif on > as_of:
                late = _LATE(language)
                found.append(
                    (
                        "fail",
                        late.format(
                            label=label, on=day_in(language, on), as_of=day_in(language, as_of)
                        ),
                    )
                )
            else:
                given = _GIVEN(language)
                found.append(("pass", given.format(label=label, on=day_in(language, on))))
        return "; ".join(reason for outcome, reason in found if outcome == wanted)

    return text(words, Field("approvals"), SENDING, RECEIVING, FROM, TO, AS_OF)


_NONE_ON_FILE = Words(
    "no approvals on file from {sending} or {receiving}",
    "no constan aprobaciones de {sending} ni de {receiving}",
)
_SENDING_STATE = Words("the sending state ({state})", "el Estado trasladante ({state})")
_RECEIVING_STATE = Words("the receiving state ({state})", "el Estado receptor ({state})")
_NOT_ON_FILE = Words("no approval by {label} on file", "no consta la aprobación de {label}")
_LATE = Words(
    "{label} approved on {on}, after {as_of}", "{label} aprobó el {on}, después del {as_of}"
)
_GIVEN = Words("{label} approved on {on}", "{label} aprobó el {on}")


@check("both-states-approve", title=Words("Both states approve", "Aprobación de ambos Estados"))
def both_states_approve(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Both the sending and the receiving state have agreed to the transfer."""
    return decide(
        ((SENDING > AS_OF) | (RECEIVING > AS_OF), failing("{late}", es="{late}")),
        (SENDING.is_null() | RECEIVING.is_null(), unknown("{missing}", es="{missing}")),
        otherwise=passing("{given}", es="{given}"),
        late=_sides("fail"),
        missing=_sides("unknown"),
        given=_sides("pass"),
    )


@check(
    "sentencing-us-state-approves",
    title=Words(
        "The sentencing US state approves",
        "Aprobación del estado de los Estados Unidos que impuso la pena",
    ),
)
def sentencing_us_state_approves(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A prisoner of a US state also needs that state's approval."""
    state_prisoner = Field("sentence.state_prisoner")
    return decide(
        (
            state_prisoner.is_null(),
            unknown(
                "not known whether the person is a state (rather than federal) prisoner",
                es="se desconoce si la persona sentenciada cumple una pena impuesta por un"
                " estado de los Estados Unidos o por la federación",
            ),
        ),
        (
            state_prisoner.eq(False),
            passing(
                "a federal prisoner: no US state approval needed",
                es="persona sentenciada del orden federal: no se requiere la aprobación de un"
                " estado de los Estados Unidos",
            ),
        ),
        (
            US_STATE.is_null(),
            unknown(
                "no approval by the sentencing US state on file",
                es="no consta la aprobación del estado de los Estados Unidos que impuso la pena",
            ),
        ),
        (
            US_STATE > AS_OF,
            failing(
                "the sentencing US state approved on {approved}, after {as_of}",
                es="el estado de los Estados Unidos que impuso la pena aprobó el {approved},"
                " después del {as_of}",
            ),
        ),
        otherwise=passing(
            "the sentencing US state approved on {approved}",
            es="el estado de los Estados Unidos que impuso la pena aprobó el {approved}",
        ),
        approved=US_STATE,
    )


@check(
    "receiving-state-approves",
    title=Words(
        "The receiving state finds the condition met",
        "El Estado receptor tiene por cumplida la condición",
    ),
)
def receiving_state_approves(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A condition only the receiving state can judge, read from its approval: given by
    as_of, it is that state's finding; later, it was not yet made; absent, unknown."""
    return decide(
        (
            RECEIVING.is_null(),
            unknown(
                "no approval by the receiving state ({to}) on file",
                es="no consta la aprobación del Estado receptor ({to})",
            ),
        ),
        (
            RECEIVING > AS_OF,
            failing(
                "{to} approved on {approved}, after {as_of}",
                es="{to} aprobó el {approved}, después del {as_of}",
            ),
        ),
        otherwise=passing(
            "{to} approved on {approved}, finding the condition met",
            es="{to} aprobó el {approved} y con ello tuvo por cumplida la condición",
        ),
        approved=RECEIVING,
    )
