"""Checks on who the person is: nationality, domicile, citizenship, enemy-alien status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from repatria.law.checks.base import check, is_bool, is_int, is_number, is_str, is_str_list
from repatria.law.checks.vocabulary import AGE, AS_OF, BIRTH_DATE, CITIZENSHIPS, FROM, TO
from repatria.law.expr import (
    Contains,
    Decide,
    Field,
    Intersects,
    decide,
    failing,
    passing,
    text,
    unknown,
)
from repatria.law.language import Language, Words, countries
from repatria.law.schema import Authority

_NONE = Words("none", "ninguna")


def _listed(language: Language, codes: Sequence[str] | None) -> str:
    return countries(language, codes, _NONE)


@check(
    "national-of-receiving-state",
    title=Words("National of the receiving state", "Nacional del Estado receptor"),
)
def national_of_receiving_state(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The person is a national of the state that is to receive them (no declaration counts
    residents as nationals)."""
    return national_or_declared_resident({"residents_count": []}, authority)


@check(
    "national-or-declared-resident",
    title=Words(
        "National, or a resident counted as one", "Nacional, o residente equiparado a nacional"
    ),
    residents_count=is_str_list,
)
def national_or_declared_resident(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A national of the receiving state, or a resident of one whose declaration counts its
    residents as nationals (ETS 112 Art. 3(4))."""
    declared = TO.is_in(params["residents_count"])
    national = Contains(CITIZENSHIPS.path, TO)
    residence = Field("person.residence_country")
    return decide(
        (national.eq(True), passing("national of {to}", es="nacional de {to}")),
        (
            declared & residence.eq(TO),
            passing(
                "lives in {to}, whose declaration counts its residents as nationals",
                es="reside en {to}, cuya declaración equipara a sus residentes con sus nacionales",
            ),
        ),
        (
            national.is_null(),
            unknown(
                "the person's citizenships are not known; they must include {to}",
                es="se desconocen las nacionalidades de la persona; deben incluir la de {to}",
            ),
        ),
        (
            declared & residence.is_null(),
            unknown(
                "not a national of {to}, whose declaration counts residents as nationals;"
                " where the person lives is not known",
                es="no es nacional de {to}, cuya declaración equipara a los residentes con"
                " los nacionales; se desconoce dónde reside la persona",
            ),
        ),
        otherwise=failing(
            "not a national of {to} (citizenships: {citizenships})",
            es="no es nacional de {to} (nacionalidades: {citizenships})",
        ),
        citizenships=text(_listed, CITIZENSHIPS),
    )


@check(
    "not-domiciliary",
    title=Words("Not a domiciliary of the sending state", "Sin domicilio en el Estado trasladante"),
    minimum_years=is_number,
)
def not_domiciliary(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Not a domiciliary of the sending state: present N years with intent to remain."""
    years = Field("person.years_in_sending_state")
    intends = Field("person.intends_to_remain")
    minimum = params["minimum_years"]
    return decide(
        (
            years < minimum,
            passing(
                "lived in {from} {years:g} years, under the {minimum:g} that make a domicile",
                es="residió en {from} {years:g} años, menos de los {minimum:g} que constituyen"
                " domicilio",
            ),
        ),
        (
            intends.eq(False),
            passing(
                "no intent to remain permanently in {from}, so not a domiciliary",
                es="sin intención de permanecer en forma definitiva en {from}; por lo tanto,"
                " no está domiciliada ahí",
            ),
        ),
        (
            years.is_null() | intends.is_null(),
            unknown(
                "years in {from} or intent to remain there not known",
                es="se desconocen los años de residencia en {from} o la intención de"
                " permanecer ahí",
            ),
        ),
        otherwise=failing(
            "lived in {from} {years:g} years with intent to remain: a domiciliary",
            es="residió en {from} {years:g} años con intención de permanecer: tiene ahí su"
            " domicilio",
        ),
        years=years,
        minimum=minimum,
    )


@check(
    "not-a-citizen-of-sending-state",
    title=Words("Not a citizen of the sending state", "No es ciudadano del Estado de expulsión"),
)
def not_a_citizen(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A citizen or national of the sending state may never be removed from it."""
    citizen = Contains(CITIZENSHIPS.path, FROM)
    return decide(
        (
            citizen.is_null(),
            unknown(
                "citizenships not known; a citizen or national of {from} is never removed",
                es="se desconocen las nacionalidades; un ciudadano o nacional de {from} nunca"
                " es expulsado",
            ),
        ),
        (
            citizen,
            failing(
                "a citizen or national of {from}, who may not be removed from it",
                es="ciudadano o nacional de {from}, que no puede ser expulsado de ese país",
            ),
        ),
        otherwise=passing(
            "not a citizen or national of {from}",
            es="no es ciudadano ni nacional de {from}",
        ),
    )


@check(
    "enemy-alien",
    title=Words("Within the proclamation", "Comprendido en la proclamación"),
    nations=is_str_list,
    minimum_age=is_int,
    excludes_permanent_residents=is_bool,
)
def enemy_alien(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A citizen of a nation named in a proclamation in force, old enough, not excluded by it."""
    nations: list[str] = params["nations"]
    if not nations:
        return decide(
            otherwise=failing(
                "no proclamation under the Act names any nation on {as_of}",
                es="ninguna proclamación conforme a la Ley nombra nación alguna al {as_of}",
            )
        )
    minimum_age = params["minimum_age"]
    resident = Field("person.lawful_permanent_resident")
    residents = (
        [
            (
                resident.is_null(),
                unknown(
                    "whether the person is a lawful permanent resident is not known",
                    es="se desconoce si la persona es residente permanente legal",
                ),
            ),
            (
                resident.eq(True),
                failing(
                    "a lawful permanent resident, whom the proclamation excludes",
                    es="residente permanente legal, a quien la proclamación excluye",
                ),
            ),
        ]
        if params["excludes_permanent_residents"]
        else []
    )
    return decide(
        (
            CITIZENSHIPS.is_null() | BIRTH_DATE.is_null(),
            unknown(
                "citizenships or birth date not known",
                es="se desconocen las nacionalidades o la fecha de nacimiento",
            ),
        ),
        (
            ~Intersects(CITIZENSHIPS.path, tuple(nations)),
            failing(
                "not a citizen of a nation named in a proclamation ({nations})",
                es="no es ciudadano de una nación nombrada en una proclamación ({nations})",
            ),
        ),
        (
            minimum_age > AGE,
            failing(
                "aged {age} on {as_of}; the proclamation reaches {minimum_age} and over",
                es="tenía {age} años el {as_of}; la proclamación comprende a personas de"
                " {minimum_age} años o más",
            ),
        ),
        *residents,
        otherwise=passing(
            "citizen of {enemy}, aged {age}, within the proclamation",
            es="ciudadano de {enemy}, de {age} años, comprendido en la proclamación",
        ),
        nations=text(lambda language: countries(language, nations, _NONE)),
        minimum_age=minimum_age,
        age=AGE,
        enemy=text(
            lambda language, held: countries(language, sorted(set(held) & set(nations)), _NONE),
            CITIZENSHIPS,
        ),
    )


@check(
    "eu-forwarding-destination",
    title=Words(
        "A state the judgment may be forwarded to", "Estado al que puede transmitirse la sentencia"
    ),
)
def eu_forwarding_destination(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A judgment goes to the state of nationality where the person lives or will be
    deported, or to another member state that consents to take it."""
    national = Contains(CITIZENSHIPS.path, TO)
    residence = Field("person.residence_country")
    consented = Field("approvals.receiving_state")
    return decide(
        (
            national & residence.eq(TO),
            passing("a national of {to} who lives there", es="nacional de {to} que reside ahí"),
        ),
        (
            national & Field("person.deportation_country").eq(TO),
            passing(
                "a national of {to}, to be deported there on release",
                es="nacional de {to}, que será deportado a ese Estado al quedar en libertad",
            ),
        ),
        (
            consented <= AS_OF,
            passing(
                "{to} consented to take the judgment on {consented}",
                es="{to} consintió en recibir la sentencia el {consented}",
            ),
        ),
        (
            national.is_null(),
            unknown(
                "citizenships not known; is the person a national of {to}?",
                es="se desconocen las nacionalidades; ¿es la persona nacional de {to}?",
            ),
        ),
        (
            national & residence.is_null(),
            unknown(
                "a national of {to}; where the person lives is not known",
                es="nacional de {to}; se desconoce dónde reside la persona",
            ),
        ),
        otherwise=failing(
            "{to} is neither a state of nationality where the person lives or will be"
            " deported, nor a state that has consented",
            es="{to} no es un Estado de nacionalidad en el que la persona resida o al que vaya"
            " a ser deportada, ni un Estado que haya dado su consentimiento",
        ),
        consented=consented,
    )


@check(
    "designated-organisation-member",
    title=Words(
        "Finding of membership in the named organisation",
        "Determinación de pertenencia a la organización nombrada",
    ),
    organisation=is_str,
)
def designated_organisation_member(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A proclamation that reaches only members of a named organisation needs a recorded
    finding that the person is one; an allegation alone is not a finding."""
    member = Field("person.member_of_designated_organisation")
    if not params["organisation"]:
        return decide(
            otherwise=passing(
                "the proclamation in force names no organisation",
                es="la proclamación en vigor no nombra organización alguna",
            )
        )
    return decide(
        (
            member.is_null(),
            unknown(
                "no recorded finding that the person is a member of {organisation}",
                es="no consta determinación de que la persona sea miembro de {organisation}",
            ),
        ),
        (
            member.eq(True),
            passing(
                "a recorded finding that the person is a member of {organisation}",
                es="consta determinación de que la persona es miembro de {organisation}",
            ),
        ),
        otherwise=failing(
            "found not to be a member of {organisation}, whom the proclamation names",
            es="se determinó que no es miembro de {organisation}, a quien nombra la proclamación",
        ),
        organisation=params["organisation"],
    )
