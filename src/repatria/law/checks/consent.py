"""Checks on the person's consent: who gave it, whether it was verified, and exemptions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from repatria.law.checks.base import check, is_int, is_str_list
from repatria.law.checks.exemptions import exemption, is_exemption_list
from repatria.law.checks.vocabulary import (
    AGE_AT_TRANSFER,
    AS_OF,
    BIRTH_DATE,
    FROM,
    TRANSFER_DAY,
)
from repatria.law.expr import (
    Const,
    Decide,
    Field,
    IfElse,
    ReasonOf,
    decide,
    failing,
    passes,
    passing,
    text,
    unknown,
)
from repatria.law.language import Language, Words, day_in, joined, term
from repatria.law.schema import Authority
from repatria.law.terms import CONSENT_GIVERS, VERIFIERS

GIVEN_BY, VERIFIED_ON = Field("consent.given_by"), Field("consent.verified_on")
COMPETENT = Field("person.competent")


def _who(majority: int) -> Any:
    def words(
        language: Language, birth: date | None, age: int | None, competent: bool | None, on: date
    ) -> str:
        if age is not None and age < majority:
            return _MINOR(language).format(age=age, on=day_in(language, on))
        if competent is False:
            return _INCOMPETENT(language)
        if birth is None or competent is None:
            return _AGE_UNKNOWN(language)
        return _ADULT(language).format(age=age)

    return text(words, BIRTH_DATE, AGE_AT_TRANSFER, COMPETENT, TRANSFER_DAY)


_MINOR = Words("aged {age} on {on}", "de {age} años al {on}")
_INCOMPETENT = Words(
    "found not competent to consent", "declarada sin capacidad para otorgar su consentimiento"
)
_AGE_UNKNOWN = Words("age or competence not known", "se desconoce su edad o su capacidad")
_ADULT = Words(
    "an adult (aged {age}) found competent", "mayor de edad, de {age} años, con capacidad"
)


def _either(values: list[str], vocabulary: Mapping[str, Words]) -> Any:
    """Words for a list of codes (representatives, officers), joined by "or"."""
    return text(
        lambda language: joined((term(vocabulary, language, v) for v in values), "or", language)
    )


def consent_decision(params: Mapping[str, Any]) -> Decide:
    """Consent by the right person (a representative for a minor or incompetent), verified."""
    majority, representatives = params["age_of_majority"], params["representatives"]
    # True (a minor, or not competent), False (a competent adult) or unknown.
    needs = IfElse(
        (majority > AGE_AT_TRANSFER) | COMPETENT.eq(False),
        Const(True),
        IfElse(BIRTH_DATE.is_null() | COMPETENT.is_null(), Const(None), Const(False)),
    )
    personal = GIVEN_BY.eq("person")
    return decide(
        (
            GIVEN_BY.is_null(),
            unknown("no consent on file", es="no consta el consentimiento"),
        ),
        (
            personal & needs.eq(True),
            failing(
                "{who}: consent must come from {representatives}",
                es="{who}: el consentimiento debe otorgarlo {representatives}",
            ),
        ),
        (
            ~personal & needs.eq(False),
            failing(
                "{who}, who must consent personally, not through a {given_by}",
                es="{who}, quien debe consentir personalmente, no {given_by} en su nombre",
            ),
        ),
        (
            ~personal & ~GIVEN_BY.is_in(representatives),
            failing(
                "a {given_by} may not consent here ({representatives})",
                es="{given_by} no puede otorgar el consentimiento en este caso ({representatives})",
            ),
        ),
        (
            needs.is_null(),
            unknown(
                "{who}: cannot tell who must consent",
                es="{who}: no puede determinarse quién debe otorgar el consentimiento",
            ),
        ),
        (
            VERIFIED_ON.is_null(),
            unknown(
                "consent given by the {given_by} but not yet verified",
                es="consentimiento otorgado por {given_by}, aún no verificado",
            ),
        ),
        (
            VERIFIED_ON > AS_OF,
            failing(
                "consent verified on {verified_on}, after {as_of}",
                es="consentimiento verificado el {verified_on}, después del {as_of}",
            ),
        ),
        otherwise=passing(
            "consent given by the {given_by} ({who}), verified {verified_on}",
            es="consentimiento otorgado por {given_by} ({who}), verificado el {verified_on}",
        ),
        who=_who(majority),
        representatives=_either(representatives, CONSENT_GIVERS),
        given_by=text(partial(term, CONSENT_GIVERS), GIVEN_BY),
        verified_on=VERIFIED_ON,
    )


@check(
    "consent",
    title=Words("Consent, verified", "Consentimiento verificado"),
    representatives=is_str_list,
    age_of_majority=is_int,
)
def consent_given(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The person's consent (or a representative's where needed), verified by the date."""
    return consent_decision(params)


@check(
    "consent-verifier",
    title=Words(
        "Consent verified by the officer the statute names",
        "Consentimiento verificado por el funcionario que señala la ley",
    ),
    outbound=is_str_list,
    inbound=is_str_list,
)
def consent_verifier(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Consent verified by an officer the US statute names for the direction of transfer."""
    verified_by = Field("consent.verified_by")
    outbound = FROM.eq("US")
    allowed = IfElse(
        outbound, verified_by.is_in(params["outbound"]), verified_by.is_in(params["inbound"])
    )
    return decide(
        (
            verified_by.is_null(),
            unknown(
                "no verifying officer on file; a transfer {direction} the US needs one",
                es="no consta el funcionario que verificó el consentimiento; un traslado"
                " {direction} Estados Unidos lo requiere",
            ),
        ),
        (
            ~allowed,
            failing(
                "verified by a {verified_by}; a transfer {direction} the US needs a {officers}",
                es="verificado por {verified_by}; un traslado {direction} Estados Unidos"
                " requiere a {officers}",
            ),
        ),
        otherwise=passing("verified by a {verified_by}", es="verificado por {verified_by}"),
        verified_by=text(partial(term, VERIFIERS), verified_by),
        direction=text(_direction, outbound),
        officers=IfElse(
            outbound,
            _either(params["outbound"], VERIFIERS),
            _either(params["inbound"], VERIFIERS),
        ),
    )


def _direction(language: Language, outbound: bool | None) -> str:
    if language == "es":
        return "desde" if outbound else "hacia"
    return "out of" if outbound else "into"


_exemption_names = is_exemption_list


@check(
    "consent-unless-exempt",
    title=Words("Consent, unless an exemption applies", "Consentimiento, salvo excepción"),
    representatives=is_str_list,
    age_of_majority=is_int,
    exemptions=_exemption_names,
)
def consent_unless_exempt(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Consent as usual, unless a named exemption (fled, expelled, resident...) applies."""
    exempt, label = exemption(params["exemptions"])
    found = consent_decision(params)
    return decide(
        (
            exempt.eq(True),
            passing(
                "consent not required: the person is {label}",
                es="no se requiere el consentimiento: se trata de {label}",
            ),
        ),
        (
            exempt.is_null() & ~passes(found),
            unknown(
                "{consent}; not known whether the person is {label}",
                es="{consent}; se desconoce si se trata de {label}",
            ),
        ),
        otherwise=found,
        label=label,
        consent=ReasonOf(found),
    )


@check(
    "opinion-when-exempt",
    title=Words(
        "The person's opinion on record where consent is not needed",
        "Opinión de la persona registrada cuando no se requiere su consentimiento",
    ),
    exemptions=_exemption_names,
    unless=_exemption_names,
)
def opinion_when_exempt(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Where consent is not needed, the person's opinion must be on record."""
    opinion = Field("consent.opinion_recorded")
    other_route, other_label = exemption(params["unless"])
    exempt, label = exemption(params["exemptions"])
    return decide(
        (
            opinion.eq(True),
            passing(
                "the person's opinion is on record",
                es="consta la opinión de la persona sentenciada",
            ),
        ),
        (
            GIVEN_BY.is_known(),
            passing(
                "consent given by the {given_by}, which states the person's view",
                es="consentimiento otorgado por {given_by}, que expresa la opinión de la persona",
            ),
        ),
        (
            other_route.eq(True),
            passing(
                "the person is {other_label}: no opinion needs recording",
                es="se trata de {other_label}: no es necesario hacer constar su opinión",
            ),
        ),
        (
            exempt.eq(False),
            passing(
                "consent is required instead, so no separate opinion is needed",
                es="en su lugar se requiere el consentimiento, por lo que no hace falta"
                " recabar aparte su opinión",
            ),
        ),
        (
            exempt.is_null(),
            unknown(
                "not known whether the person is {label}, nor is an opinion on record",
                es="se desconoce si se trata de {label}, y no consta su opinión",
            ),
        ),
        (
            opinion.is_null(),
            unknown(
                "the person is {label}; whether their opinion was recorded is not known",
                es="se trata de {label}; se desconoce si se hizo constar su opinión",
            ),
        ),
        otherwise=failing(
            "the person is {label}, and their opinion was not recorded",
            es="se trata de {label}, y no se hizo constar su opinión",
        ),
        given_by=text(partial(term, CONSENT_GIVERS), GIVEN_BY),
        label=label,
        other_label=other_label,
    )
