"""Checks on the sentence: offence, finality, time left, dual criminality, death penalty."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from repatria.law.arithmetic import describe_span, months_and_days
from repatria.law.checks.base import check, is_bool, is_int, is_str_list
from repatria.law.checks.vocabulary import CREDIT_DAYS, RECEIVED, REFERENCE, RELEASE
from repatria.law.expr import (
    AddMonths,
    Decide,
    Field,
    any_of,
    decide,
    failing,
    passing,
    text,
    unknown,
)
from repatria.law.language import Language, Words, day_in, joined, term
from repatria.law.schema import Authority
from repatria.law.terms import OFFENSES

SENTENCE = "sentence."


def _sentence(name: str) -> Field:
    return Field(SENTENCE + name)


@check(
    "offense-not-excluded",
    title=Words("Offence not excluded", "Delito no excluido"),
    categories=is_str_list,
)
def offense_not_excluded(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The offence is not in a category the instrument excludes."""
    category = _sentence("offense_category")
    return decide(
        (
            category.is_null(),
            unknown(
                "offence category not known; excluded: {excluded}",
                es="se desconoce la categoría del delito; se excluyen: {excluded}",
            ),
        ),
        (
            category.is_in(params["categories"]),
            failing(
                "a {category} offence, which this authority excludes",
                es="se trata de un {category}, que este instrumento excluye",
            ),
        ),
        otherwise=passing(
            "a {category} offence is not excluded",
            es="un {category} no está excluido",
        ),
        category=text(partial(term, OFFENSES), category),
        excluded=text(_categories, tuple(params["categories"])),
    )


@check(
    "final-judgment",
    title=Words("Final judgment", "Sentencia firme"),
    collateral_attack_blocks=is_bool,
)
def final_judgment(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The judgment is final: no appeal (nor, where it counts, collateral attack) pending."""
    final, appeal = _sentence("final"), _sentence("appeal_pending")
    collateral = _sentence("collateral_attack_pending")
    blocks = params["collateral_attack_blocks"]
    facts = [final, appeal, *([collateral] if blocks else [])]
    collateral_fails = (
        [
            (
                collateral.eq(True),
                failing(
                    "a collateral attack on the conviction or sentence is pending",
                    es="está pendiente una impugnación extraordinaria de la condena o de la pena",
                ),
            )
        ]
        if blocks
        else []
    )
    return decide(
        (
            final.eq(False),
            failing("the judgment is not final", es="la sentencia no ha causado ejecutoria"),
        ),
        (
            appeal.eq(True),
            failing("an appeal is pending", es="está pendiente un recurso de apelación"),
        ),
        *collateral_fails,
        (
            any_of(*(fact.is_null() for fact in facts)),
            unknown(
                "finality, a pending appeal or a pending collateral attack is not known",
                es="se desconoce si la sentencia es firme o si está pendiente una apelación o"
                " una impugnación extraordinaria",
            ),
        ),
        otherwise=passing(
            "final, with nothing pending",
            es="sentencia firme, sin recurso ni impugnación pendiente",
        ),
    )


def _categories(language: Language, categories: tuple[str, ...]) -> str:
    return ", ".join(term(OFFENSES, language, category) for category in categories)


def _left(language: Language, reference: date, release: date) -> str:
    months, days = months_and_days(reference, release)
    if language != "es":
        return describe_span(months, days)
    parts = []
    if months or not days:
        parts.append(f"{months} {'mes' if months == 1 else 'meses'}")
    if days:
        parts.append(f"{days} {'día' if days == 1 else 'días'}")
    return joined(parts, "and", language)


def _when(language: Language, reference: date, received: date | None) -> str:
    if language == "es":
        since = "" if received else " (fecha de la evaluación: no se indicó la de la solicitud)"
        return f"al {day_in(language, reference)}{since}"
    return f"on {reference}" + ("" if received else " (as_of: no request date given)")


@check(
    "minimum-time-left",
    title=Words("Minimum sentence left to serve", "Pena mínima por cumplir"),
    months=is_int,
)
def minimum_time_left(params: Mapping[str, Any], authority: Authority) -> Decide:
    """At least N calendar months left on the day the request was received, or indeterminate."""
    months = params["months"]
    return decide(
        (
            _sentence("indeterminate").eq(True),
            passing(
                "an indeterminate sentence meets any minimum",
                es="una pena de duración indeterminada satisface cualquier mínimo",
            ),
        ),
        (
            RELEASE.is_null(),
            unknown(
                "start date or length of the sentence not known; {months} months needed",
                es="se desconoce la fecha de inicio o la duración de la pena; se requieren"
                " {months} meses",
            ),
        ),
        (
            RELEASE <= REFERENCE,
            failing(
                "the sentence ended on {release}, before {reference};"
                " the minimum is {months} months",
                es="la pena concluyó el {release}, antes del {reference}; el mínimo es de"
                " {months} meses",
            ),
        ),
        (
            AddMonths(REFERENCE, months) > RELEASE,
            failing(
                "{left} left {when}; the minimum is {months} months",
                es="quedan por cumplir {left} {when}; el mínimo es de {months} meses",
            ),
        ),
        (
            CREDIT_DAYS.is_null(),
            unknown(
                "{left} left {when} before credits, which are not known",
                es="quedan por cumplir {left} {when} antes de los abonos, que se desconocen",
            ),
        ),
        otherwise=passing(
            "{left} left {when}; the minimum is {months} months",
            es="quedan por cumplir {left} {when}; el mínimo es de {months} meses",
        ),
        months=months,
        release=RELEASE,
        reference=REFERENCE,
        left=text(_left, REFERENCE, RELEASE),
        when=text(_when, REFERENCE, RECEIVED),
    )


@check("dual-criminality", title=Words("Dual criminality", "Doble incriminación"))
def dual_criminality(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The acts are an offence in the receiving state too."""
    value = _sentence("dual_criminality")
    return decide(
        (
            value.is_null(),
            unknown(
                "not known whether the acts are an offence in {to}",
                es="se desconoce si los hechos constituyen delito en {to}",
            ),
        ),
        (
            value.eq(True),
            passing(
                "the acts are an offence in {to} too",
                es="los hechos también constituyen delito en {to}",
            ),
        ),
        otherwise=failing(
            "the acts are not an offence in {to}",
            es="los hechos no constituyen delito en {to}",
        ),
    )


@check("no-death-sentence", title=Words("Not a death sentence", "No es pena de muerte"))
def no_death_sentence(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The sentence to be served is not the death penalty."""
    value = _sentence("death_sentence")
    return decide(
        (
            value.is_null(),
            unknown(
                "not known whether the sentence is a death sentence",
                es="se desconoce si la pena impuesta es la pena de muerte",
            ),
        ),
        (
            value.eq(True),
            failing("the sentence is the death penalty", es="la pena impuesta es la de muerte"),
        ),
        otherwise=passing("not a death sentence", es="la pena impuesta no es la de muerte"),
    )


@check(
    "no-pending-charges", title=Words("No other charges pending", "Sin otros procesos pendientes")
)
def no_pending_charges(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No other criminal charges are pending against the person."""
    value = _sentence("other_charges_pending")
    return decide(
        (
            value.is_null(),
            unknown(
                "not known whether other charges are pending",
                es="se desconoce si hay otros procesos penales pendientes",
            ),
        ),
        (
            value.eq(True),
            failing("other charges are pending", es="hay otros procesos penales pendientes"),
        ),
        otherwise=passing(
            "no other charges pending", es="no hay otros procesos penales pendientes"
        ),
    )
