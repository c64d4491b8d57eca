"""Which instrument governs between two states: a later one that replaces an earlier one
between the states it binds, and the requests and judgments that stay under the earlier."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from repatria.law.checks.base import check, is_str
from repatria.law.checks.parties import party_problems
from repatria.law.checks.vocabulary import AS_OF, FROM, REFERENCE, REFERENCE_NAME, TO
from repatria.law.expr import (
    BoundOn,
    Decide,
    Expr,
    Field,
    LaterOf,
    PartyFrom,
    any_of,
    decide,
    failing,
    passing,
    text,
    unknown,
)
from repatria.law.language import Words, country, day_in, term
from repatria.law.schema import Authority
from repatria.law.terms import REFERENCE_DAYS

JUDGMENT_DATE = Field("sentence.judgment_date")


def is_cutoffs(value: object) -> bool:
    """A mapping of state codes to the day before which their declared rule applies."""
    return isinstance(value, dict) and all(
        isinstance(state, str) and isinstance(day, date) for state, day in value.items()
    )


def earlier_judgment(cutoffs: Mapping[str, date]) -> Expr:
    """Whether the judgment predates the cut-off either state of the pair declared (unknown
    where a declaration applies and the judgment's date is not known)."""
    return any_of(
        *(
            (FROM.eq(state) | TO.eq(state)) & (day > JUDGMENT_DATE)
            for state, day in sorted(cutoffs.items())
        )
    )


_DECLARED = Words(
    "{state} for judgments before {day}", "{state} para sentencias anteriores al {day}"
)


def _declared(cutoffs: Mapping[str, date]) -> Expr:
    return text(
        lambda language, from_state, to_state: "; ".join(
            _DECLARED(language).format(state=country(language, state), day=day_in(language, day))
            for state, day in sorted(cutoffs.items())
            if state in (from_state, to_state)
        ),
        FROM,
        TO,
    )


@check(
    "not-replaced",
    title=Words("Not replaced by a later instrument", "No sustituido por un instrumento posterior"),
    by=is_str,
    kept_for_judgments_before=is_cutoffs,
)
def not_replaced(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No later instrument binding both states replaces this one between them on the date;
    a request received before the later one bound them both, or a judgment issued before a
    date one of the states declared, stays under this one."""
    by: str = params["by"]
    kept = earlier_judgment(params["kept_for_judgments_before"])
    if not by:
        return decide(
            otherwise=passing(
                "no instrument replaces {authority} on {as_of}",
                es="ningún instrumento sustituye a {authority} al {as_of}",
            ),
            authority=authority.id,
        )
    bound = [BoundOn(by, FROM, AS_OF), BoundOn(by, TO, AS_OF)]
    since = LaterOf(PartyFrom(by, FROM, AS_OF), PartyFrom(by, TO, AS_OF))
    return decide(
        (
            bound[0].eq(False) | bound[1].eq(False),
            passing(
                "{by} does not bind both {from} and {to}",
                es="{by} no obliga a la vez a {from} y a {to}",
            ),
        ),
        (
            bound[0].is_null() | bound[1].is_null(),
            unknown(
                "whether {by}, which would replace {authority}, binds both {from} and {to}"
                " on {as_of} is not certain: {problems}",
                es="no es seguro que {by}, que sustituiría a {authority}, obligue a la vez a"
                " {from} y a {to} al {as_of}: {problems}",
            ),
        ),
        (
            kept.eq(True),
            passing(
                "a judgment of {judgment_date}, which {declared} keep under the earlier"
                " instruments: it stays under {authority}",
                es="una sentencia del {judgment_date}, que {declared} mantienen bajo los"
                " instrumentos anteriores: sigue rigiéndose por {authority}",
            ),
        ),
        (
            kept.is_null(),
            unknown(
                "the judgment's date is not known, and {declared} keep the earlier"
                " instruments for judgments before their dates",
                es="se desconoce la fecha de la sentencia, y {declared} mantienen los"
                " instrumentos anteriores para las sentencias previas a esas fechas",
            ),
        ),
        (
            since > REFERENCE,
            passing(
                "the request was received on {received} ({which}), before {by} bound both"
                " states ({since}): it stays under {authority}",
                es="la solicitud se recibió el {received} ({which}), antes de que {by}"
                " obligara a ambos Estados ({since}): sigue rigiéndose por {authority}",
            ),
        ),
        otherwise=failing(
            "between {from} and {to}, {by} replaces {authority} since {since}"
            " (request received {received}, {which})",
            es="entre {from} y {to}, {by} sustituye a {authority} desde el {since}"
            " (solicitud recibida el {received}, {which})",
        ),
        by=by,
        authority=authority.id,
        received=REFERENCE,
        which=text(partial(term, REFERENCE_DAYS), REFERENCE_NAME),
        since=since,
        problems=party_problems(by, [FROM, TO], AS_OF),
        judgment_date=JUDGMENT_DATE,
        declared=_declared(params["kept_for_judgments_before"]),
    )


@check(
    "in-force-when-requested",
    title=Words("In force when the request was received", "En vigor al recibirse la solicitud"),
)
def in_force_when_requested(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Both states were bound when the request was received: an earlier request stays under
    the instruments that applied before."""
    bound = [BoundOn(authority.id, FROM, REFERENCE), BoundOn(authority.id, TO, REFERENCE)]
    return decide(
        (
            bound[0].eq(False) | bound[1].eq(False),
            failing(
                "the request was received on {received} ({which}), before {authority} bound"
                " both {from} and {to}: the earlier instruments govern it",
                es="la solicitud se recibió el {received} ({which}), antes de que {authority}"
                " obligara a la vez a {from} y a {to}: la rigen los instrumentos anteriores",
            ),
        ),
        (
            bound[0].is_null() | bound[1].is_null(),
            unknown(
                "on {received} ({which}): {problems}", es="al {received} ({which}): {problems}"
            ),
        ),
        otherwise=passing(
            "{authority} bound both states when the request was received ({received})",
            es="{authority} obligaba a ambos Estados cuando se recibió la solicitud ({received})",
        ),
        authority=authority.id,
        received=REFERENCE,
        which=text(partial(term, REFERENCE_DAYS), REFERENCE_NAME),
        problems=party_problems(authority.id, [FROM, TO], REFERENCE),
    )


@check(
    "judgment-not-before-declared-date",
    title=Words(
        "Judgment not before a declared date", "Sentencia no anterior a una fecha declarada"
    ),
    cutoffs=is_cutoffs,
)
def judgment_not_before_declared_date(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A state that declared it keeps the earlier instruments for judgments issued before a
    date: such a judgment, between it and any other state, stays under them."""
    cutoffs: Mapping[str, date] = params["cutoffs"]
    earlier = earlier_judgment(cutoffs)
    return decide(
        (
            earlier.eq(True),
            failing(
                "a judgment of {judgment_date}: the earlier instruments govern it ({declared})",
                es="una sentencia del {judgment_date}: la rigen los instrumentos anteriores"
                " ({declared})",
            ),
        ),
        (
            earlier.is_null(),
            unknown(
                "the judgment's date is not known, and {declared} keep the earlier instruments",
                es="se desconoce la fecha de la sentencia, y {declared} mantienen los"
                " instrumentos anteriores",
            ),
        ),
        otherwise=passing(
            "no declaration keeps the earlier instruments for this judgment",
            es="ninguna declaración mantiene los instrumentos anteriores para esta sentencia",
        ),
        judgment_date=JUDGMENT_DATE,
        declared=_declared(cutoffs),
    )
