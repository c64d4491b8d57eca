"""Removal safeguards: a final order, a designated country, no protection order, no hold."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from repatria.law.checks.base import check
from repatria.law.checks.vocabulary import AS_OF, DEPARTURE_DAY, TO, in_force_on
from repatria.law.expr import (
    AnyEntry,
    Const,
    Contains,
    Decide,
    Expr,
    Field,
    FirstEntry,
    Leaf,
    Member,
    decide,
    failing,
    passing,
    text,
    unknown,
)
from repatria.law.language import Language, Words, countries, country, day_in, term
from repatria.law.schema import Authority
from repatria.law.terms import FEAR_OUTCOMES, ORDER_KINDS

UNDECIDED = ("pending", "screened_positive")
DESIGNATED = "removal_order.designated_countries"


@check("removal-order-final", title=Words("Final removal order", "Orden de expulsión definitiva"))
def removal_order_final(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A final order of removal exists."""
    final = Field("removal_order.final")
    return decide(
        (
            final.is_null(),
            unknown(
                "no removal order on file, or its finality not known",
                es="no consta orden de expulsión, o se desconoce si es definitiva",
            ),
        ),
        (
            final.eq(True),
            passing("a final order of removal", es="orden de expulsión definitiva"),
        ),
        otherwise=failing(
            "the removal order is not final", es="la orden de expulsión no es definitiva"
        ),
    )


@check(
    "destination-designated",
    title=Words("Destination designated in the order", "Destino designado en la orden"),
)
def destination_designated(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The destination is a country the removal order designates."""
    designated = Contains(DESIGNATED, TO)
    return decide(
        (
            designated.is_null(),
            unknown(
                "the countries designated in the removal order are not known ({to}?)",
                es="se desconocen los países designados en la orden de expulsión (¿{to}?)",
            ),
        ),
        (
            designated,
            passing(
                "{to} is designated in the removal order",
                es="{to} figura entre los países designados en la orden de expulsión",
            ),
        ),
        otherwise=failing(
            "{to} is not designated in the removal order ({designated})",
            es="{to} no figura entre los países designados en la orden de expulsión ({designated})",
        ),
        designated=text(partial(countries, none=_NONE), Field(DESIGNATED)),
    )


def _stops(list_path: str, ended: str, where: Expr, day: Expr) -> AnyEntry:
    """Whether an entry of a list of orders (holds, protection orders) is in force on a day."""
    issued, until = Member("issued_on"), Member(ended)
    return AnyEntry(list_path, where & day.is_known() & in_force_on(issued, until, day))


_NONE = Words("none", "ninguno")


def _order(language: Language, entry: Any) -> str:
    """A protection order as a reason names it: its kind and the day it was issued."""
    kind = term(ORDER_KINDS, language, entry.kind) if entry.kind else None
    if language == "es":
        issued = f" dictada el {day_in(language, entry.issued_on)}" if entry.issued_on else ""
        return f"una orden de {kind or 'protección'}{issued}"
    issued = f" issued {entry.issued_on}" if entry.issued_on else ""
    return f"a {kind or 'protection'} order{issued}"


def _hold(language: Language, entry: Any) -> str:
    """A court order that stops a movement, as a reason names it."""
    kind = term(ORDER_KINDS, language, entry.kind) if entry.kind else None
    if language == "es":
        issued = f" dictada el {day_in(language, entry.issued_on)}" if entry.issued_on else ""
        return f"{'una ' + kind if kind else 'una orden judicial'}{issued}"
    issued = f" issued {entry.issued_on}" if entry.issued_on else ""
    return f"a {kind or 'court order'}{issued}"


@check(
    "no-protection-order",
    title=Words(
        "No protection order for the destination", "Sin orden de protección respecto del destino"
    ),
)
def no_protection_order(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No withholding or CAT order in force then or at departure bars removal there."""
    there = Member("country").eq(TO)
    now = _stops("protection_orders", "terminated_on", there, AS_OF)
    later = _stops("protection_orders", "terminated_on", there, DEPARTURE_DAY)
    return decide(
        (
            now.is_null(),
            unknown(
                "not known whether a protection order bars removal to {to}",
                es="se desconoce si una orden de protección impide la expulsión a {to}",
            ),
        ),
        (
            now,
            failing(
                "{order} bars removal to {to} (in force on {as_of})",
                es="{order} impide la expulsión a {to} (en vigor el {as_of})",
            ),
        ),
        (
            later,
            failing(
                "{order_later} bars removal to {to} (in force on {departure_day})",
                es="{order_later} impide la expulsión a {to} (en vigor el {departure_day})",
            ),
        ),
        otherwise=passing(
            "no protection order in force for {to}",
            es="no hay orden de protección en vigor respecto de {to}",
        ),
        order=text(_order, FirstEntry(now)),
        order_later=text(_order, FirstEntry(later)),
        departure_day=DEPARTURE_DAY,
    )


@check(
    "no-active-hold",
    title=Words(
        "No court order stopping the movement", "Sin orden judicial que suspenda el traslado"
    ),
)
def no_active_hold(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No court order (TRO, injunction, stay, pending habeas) in force then or at departure."""
    everywhere = Const(True)  # a hold stops every movement, whatever the destination
    now = _stops("holds", "lifted_on", everywhere, AS_OF)
    later = _stops("holds", "lifted_on", everywhere, DEPARTURE_DAY)
    return decide(
        (
            now.is_null(),
            unknown(
                "not known whether any court order stops the movement",
                es="se desconoce si alguna orden judicial suspende el traslado",
            ),
        ),
        (
            now,
            failing("{hold} is in force on {as_of}", es="{hold} está en vigor el {as_of}"),
        ),
        (
            later,
            failing(
                "{hold_later} is in force on {departure_day}",
                es="{hold_later} está en vigor el {departure_day}",
            ),
        ),
        otherwise=passing(
            "no court order stops the movement",
            es="ninguna orden judicial suspende el traslado",
        ),
        hold=text(_hold, FirstEntry(now)),
        hold_later=text(_hold, FirstEntry(later)),
        departure_day=DEPARTURE_DAY,
    )


FEAR_COUNTRY = Field("fear_claim.country")


def _claim() -> tuple[Expr, Expr, Expr]:
    raised, outcome = Field("fear_claim.raised"), Field("fear_claim.outcome")
    return raised, outcome, outcome.is_null() | outcome.is_in(UNDECIDED)


def _outcome_named(language: Language, value: str | None) -> str:
    if value is None:
        return "sin resolución" if language == "es" else "no outcome"
    return term(FEAR_OUTCOMES, language, value)


def _fear_claim_not_known(raised: Expr) -> tuple[Expr, Leaf]:
    return (
        raised.is_null(),
        unknown(
            "not known whether a fear claim was raised",
            es="se desconoce si se planteó una solicitud por temor fundado",
        ),
    )


# A fear claim concerns one country (withholding and CAT protection are country-specific,
# INA § 241(b)(3)(A), 8 CFR 208.16-208.18); one that names no country concerns them all.
_HERE = FEAR_COUNTRY.is_null() | FEAR_COUNTRY.eq(TO)


@check(
    "fear-claim-decided",
    title=Words("No fear claim pending", "Sin solicitud por temor fundado pendiente"),
)
def fear_claim_decided(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A fear claim raised and not yet decided stops the movement."""
    raised, outcome, undecided = _claim()
    return decide(
        _fear_claim_not_known(raised),
        (
            raised.eq(False),
            passing("no fear claim raised", es="no se planteó solicitud por temor fundado"),
        ),
        (
            ~_HERE,
            passing(
                "the fear claim concerns {fear_country}, not {to}, so it does not hold this",
                es="la solicitud por temor fundado se refiere a {fear_country}, no a {to}, por"
                " lo que no suspende este traslado",
            ),
        ),
        (
            undecided,
            failing(
                "a fear claim was raised and is undecided ({outcome_named})",
                es="se planteó una solicitud por temor fundado que no se ha resuelto"
                " ({outcome_named})",
            ),
        ),
        otherwise=passing(
            "the fear claim was decided ({outcome})",
            es="la solicitud por temor fundado fue resuelta ({outcome})",
        ),
        fear_country=text(country, FEAR_COUNTRY),
        outcome=text(partial(term, FEAR_OUTCOMES), outcome),
        outcome_named=text(_outcome_named, outcome),
    )


@check(
    "fear-claim-not-granted",
    title=Words(
        "No fear claim granted for the destination",
        "Sin solicitud por temor fundado concedida respecto del destino",
    ),
)
def fear_claim_not_granted(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A fear claim decided in the person's favour bars removal to the destination."""
    raised, outcome, undecided = _claim()
    return decide(
        _fear_claim_not_known(raised),
        (
            raised.eq(True) & outcome.eq("granted") & _HERE,
            failing(
                "a fear claim was granted: protection from removal to {to}",
                es="se concedió la solicitud por temor fundado: protección contra la"
                " expulsión a {to}",
            ),
        ),
        (
            raised.eq(True) & outcome.eq("granted"),
            passing(
                "the fear claim granted concerns {fear_country}, not {to}",
                es="la solicitud por temor fundado concedida se refiere a {fear_country}, no"
                " a {to}",
            ),
        ),
        (
            raised.eq(True) & undecided,
            passing(
                "not granted: the claim is still undecided, which is a hold",
                es="no concedida: la solicitud aún no se resuelve, lo que suspende el traslado",
            ),
        ),
        otherwise=passing(
            "no fear claim was granted",
            es="no se concedió ninguna solicitud por temor fundado",
        ),
        fear_country=text(country, FEAR_COUNTRY),
    )


@check(
    "destination-accepts",
    title=Words("The third country accepts the person", "El tercer país acepta a la persona"),
)
def destination_accepts(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The government of a third country has accepted the person (8 U.S.C. § 1231(b)(2))."""
    accepts = Field("removal_order.destination_accepts")
    return decide(
        (
            accepts.is_null(),
            unknown(
                "not known whether {to} has accepted the person",
                es="se desconoce si {to} ha aceptado recibir a la persona",
            ),
        ),
        (
            accepts.eq(True),
            passing("{to} has accepted the person", es="{to} ha aceptado recibir a la persona"),
        ),
        otherwise=failing(
            "{to} has not accepted the person", es="{to} no ha aceptado recibir a la persona"
        ),
    )


@check(
    "assurances-reliable",
    title=Words(
        "Diplomatic assurances found reliable", "Garantías diplomáticas consideradas fiables"
    ),
)
def assurances_reliable(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Where diplomatic assurances against torture are relied on, they were found reliable
    enough to allow removal (8 CFR 208.18(c))."""
    relied_on = Field("removal_order.assurances_relied_on")
    reliable = Field("removal_order.assurances_found_reliable")
    return decide(
        (
            relied_on.is_null(),
            unknown(
                "not known whether diplomatic assurances are relied on",
                es="se desconoce si se invocan garantías diplomáticas",
            ),
        ),
        (
            relied_on.eq(False),
            passing(
                "no diplomatic assurances are relied on",
                es="no se invocan garantías diplomáticas",
            ),
        ),
        (
            reliable.is_null(),
            unknown(
                "assurances from {to} are relied on, but no finding that they are reliable",
                es="se invocan garantías de {to}, pero no consta determinación de que sean fiables",
            ),
        ),
        (
            reliable.eq(True),
            passing(
                "assurances from {to} were found reliable",
                es="se determinó que las garantías de {to} son fiables",
            ),
        ),
        otherwise=failing(
            "assurances from {to} were not found reliable",
            es="no se determinó que las garantías de {to} sean fiables",
        ),
    )
