"""Notice of removal: its content and language, and the time between notice and departure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from repatria.law.checks.base import check, is_number
from repatria.law.checks.vocabulary import TO
from repatria.law.expr import (
    Const,
    Decide,
    Expr,
    Field,
    HoursBetween,
    IfElse,
    any_of,
    decide,
    failing,
    passing,
    text,
    unknown,
)
from repatria.law.language import Language, Words, country, joined, moment_in
from repatria.law.schema import Authority

REQUIREMENTS = {
    "language_understood": Words(
        "in a language the person understands", "en un idioma que la persona comprende"
    ),
    "explains_how_to_contest": Words(
        "explaining how to contest the removal and seek habeas",
        "con la explicación de cómo impugnar la expulsión y promover el hábeas corpus",
    ),
    "names_destination": Words(
        "naming the country of removal", "con la indicación del país de expulsión"
    ),
}
SERVED_AT, COUNTRY = Field("notice.served_at"), Field("notice.country")
DEPARTURE_AT = Field("departure_at")


def _requirements(value: object) -> bool:
    return isinstance(value, list) and all(name in REQUIREMENTS for name in value)


def _stated(requirement: str) -> Expr:
    """Whether the notice met a requirement: true, false, or unknown."""
    if requirement == "names_destination":
        # A named country other than the destination fails first; none named is unknown.
        return IfElse(COUNTRY.is_known(), Const(True), Const(None))
    return Field(f"notice.{requirement}")


def _words(names: list[str], wanted: bool | None, joiner: Literal["and", "nor"]) -> Expr:
    def listed(language: Language, *values: bool | None) -> str:
        return joined(
            (
                REQUIREMENTS[name](language)
                for name, value in zip(names, values, strict=True)
                if value is wanted
            ),
            joiner,
            language,
        )

    return text(listed, *(_stated(name) for name in names))


@check(
    "notice-content",
    title=Words("Written notice and its content", "Notificación por escrito y su contenido"),
    requires=_requirements,
)
def notice_content(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Written notice naming the destination and meeting each content requirement."""
    names: list[str] = params["requires"]
    stated = [_stated(name) for name in names]
    return decide(
        (
            SERVED_AT.is_null(),
            unknown("no written notice on file", es="no consta notificación por escrito"),
        ),
        (
            COUNTRY.is_known() & COUNTRY.ne(TO),
            failing(
                "the notice names {country}, not {to}",
                es="la notificación indica {country}, no {to}",
            ),
        ),
        (
            any_of(*(value.eq(False) for value in stated)),
            failing(
                "the notice was not {missing}",
                es="la notificación no se hizo {missing}",
            ),
        ),
        (
            any_of(*(value.is_null() for value in stated)),
            unknown(
                "not known whether the notice was {undecided}",
                es="se desconoce si la notificación se hizo {undecided}",
            ),
        ),
        otherwise=passing(
            "written notice served {served}",
            es="notificación por escrito practicada el {served}",
        ),
        country=text(country, COUNTRY),
        missing=_words(names, False, "nor"),
        undecided=_words(names, None, "and"),
        served=text(moment_in, SERVED_AT),
    )


@check(
    "notice-in-time",
    title=Words(
        "Notice in time before departure", "Notificación con anticipación suficiente a la salida"
    ),
    hours=is_number,
)
def notice_in_time(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Notice served at least the minimum number of hours before departure."""
    minimum = params["hours"]
    hours = HoursBetween(SERVED_AT, DEPARTURE_AT)
    return decide(
        (
            SERVED_AT.is_null(),
            unknown(
                "no notice on file; {minimum:g} hours' notice is needed before departure",
                es="no consta notificación; se requiere notificar con {minimum:g} horas de"
                " anticipación a la salida",
            ),
        ),
        (
            DEPARTURE_AT.is_null(),
            unknown(
                "no departure time on file; {minimum:g} hours' notice is needed",
                es="no consta la hora de salida; se requiere notificar con {minimum:g} horas"
                " de anticipación",
            ),
        ),
        (
            hours < minimum,
            failing(
                "notice {hours:g} hours before departure; the minimum is {minimum:g} hours",
                es="notificación {hours:g} horas antes de la salida; el mínimo es de"
                " {minimum:g} horas",
            ),
        ),
        otherwise=passing(
            "notice {hours:g} hours before departure; the minimum is {minimum:g} hours",
            es="notificación {hours:g} horas antes de la salida; el mínimo es de {minimum:g} horas",
        ),
        minimum=minimum,
        hours=hours,
    )
