"""Removal safeguards: a final order, a designated country, no protection order, no hold."""

from __future__ import annotations

from collections.abc import Mapping
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
    Member,
    decide,
    failing,
    passing,
    text,
    unknown,
)
from repatria.law.schema import Authority

UNDECIDED = ("pending", "screened_positive")
DESIGNATED = "removal_order.designated_countries"


@check("removal-order-final")
def removal_order_final(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A final order of removal exists."""
    final = Field("removal_order.final")
    return decide(
        (final.is_null(), unknown("no removal order on file, or its finality not known")),
        (final.eq(True), passing("a final order of removal")),
        otherwise=failing("the removal order is not final"),
    )


@check("destination-designated")
def destination_designated(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The destination is a country the removal order designates."""
    designated = Contains(DESIGNATED, TO)
    return decide(
        (
            designated.is_null(),
            unknown("the countries designated in the removal order are not known ({to}?)"),
        ),
        (designated, passing("{to} is designated in the removal order")),
        otherwise=failing("{to} is not designated in the removal order ({designated})"),
        designated=text(lambda codes: ", ".join(codes) or "none", Field(DESIGNATED)),
    )


def _stops(list_path: str, ended: str, where: Expr, day: Expr) -> AnyEntry:
    """Whether an entry of a list of orders (holds, protection orders) is in force on a day."""
    issued, until = Member("issued_on"), Member(ended)
    return AnyEntry(list_path, where & day.is_known() & in_force_on(issued, until, day))


def _issued(entry: Any) -> str:
    return f" issued {entry.issued_on}" if entry.issued_on else ""


@check("no-protection-order")
def no_protection_order(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No withholding or CAT order in force then or at departure bars removal there."""
    there = Member("country").eq(TO)
    now = _stops("protection_orders", "terminated_on", there, AS_OF)
    later = _stops("protection_orders", "terminated_on", there, DEPARTURE_DAY)
    order = text(
        lambda e: f"a {e.kind or 'protection'} order{_issued(e)}",
        FirstEntry(now),
    )
    order_later = text(
        lambda e: f"a {e.kind or 'protection'} order{_issued(e)}",
        FirstEntry(later),
    )
    return decide(
        (now.is_null(), unknown("not known whether a protection order bars removal to {to}")),
        (now, failing("{order} bars removal to {to} (in force on {as_of})")),
        (later, failing("{order_later} bars removal to {to} (in force on {departure_day})")),
        otherwise=passing("no protection order in force for {to}"),
        order=order,
        order_later=order_later,
        departure_day=DEPARTURE_DAY,
    )


@check("no-active-hold")
def no_active_hold(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No court order (TRO, injunction, stay, pending habeas) in force then or at departure."""
    everywhere = Const(True)  # a hold stops every movement, whatever the destination
    now = _stops("holds", "lifted_on", everywhere, AS_OF)
    later = _stops("holds", "lifted_on", everywhere, DEPARTURE_DAY)
    return decide(
        (now.is_null(), unknown("not known whether any court order stops the movement")),
        (now, failing("{hold} is in force on {as_of}")),
        (later, failing("{hold_later} is in force on {departure_day}")),
        otherwise=passing("no court order stops the movement"),
        hold=text(lambda e: f"a {e.kind or 'court order'}{_issued(e)}", FirstEntry(now)),
        hold_later=text(lambda e: f"a {e.kind or 'court order'}{_issued(e)}", FirstEntry(later)),
        departure_day=DEPARTURE_DAY,
    )


FEAR_COUNTRY = Field("fear_claim.country")


def _claim() -> tuple[Expr, Expr, Expr]:
    raised, outcome = Field("fear_claim.raised"), Field("fear_claim.outcome")
    return raised, outcome, outcome.is_null() | outcome.is_in(UNDECIDED)


# A fear claim concerns one country (withholding and CAT protection are country-specific,
# INA § 241(b)(3)(A), 8 CFR 208.16-208.18); one that names no country concerns them all.
_HERE = FEAR_COUNTRY.is_null() | FEAR_COUNTRY.eq(TO)


@check("fear-claim-decided")
def fear_claim_decided(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A fear claim raised and not yet decided stops the movement."""
    raised, outcome, undecided = _claim()
    return decide(
        (raised.is_null(), unknown("not known whether a fear claim was raised")),
        (raised.eq(False), passing("no fear claim raised")),
        (
            ~_HERE,
            passing("the fear claim concerns {fear_country}, not {to}, so it does not hold this"),
        ),
        (undecided, failing("a fear claim was raised and is undecided ({outcome_named})")),
        otherwise=passing("the fear claim was decided ({outcome})"),
        fear_country=FEAR_COUNTRY,
        outcome=outcome,
        outcome_named=text(lambda value: value or "no outcome", outcome),
    )


@check("fear-claim-not-granted")
def fear_claim_not_granted(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A fear claim decided in the person's favour bars removal to the destination."""
    raised, outcome, undecided = _claim()
    return decide(
        (raised.is_null(), unknown("not known whether a fear claim was raised")),
        (
            raised.eq(True) & outcome.eq("granted") & _HERE,
            failing("a fear claim was granted: protection from removal to {to}"),
        ),
        (
            raised.eq(True) & outcome.eq("granted"),
            passing("the fear claim granted concerns {fear_country}, not {to}"),
        ),
        (
            raised.eq(True) & undecided,
            passing("not granted: the claim is still undecided, which is a hold"),
        ),
        otherwise=passing("no fear claim was granted"),
        fear_country=FEAR_COUNTRY,
    )


@check("destination-accepts")
def destination_accepts(params: Mapping[str, Any], authority: Authority) -> Decide:
    """The government of a third country has accepted the person (8 U.S.C. § 1231(b)(2))."""
    accepts = Field("removal_order.destination_accepts")
    return decide(
        (accepts.is_null(), unknown("not known whether {to} has accepted the person")),
        (accepts.eq(True), passing("{to} has accepted the person")),
        otherwise=failing("{to} has not accepted the person"),
    )


@check("assurances-reliable")
def assurances_reliable(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Where diplomatic assurances against torture are relied on, they were found reliable
    enough to allow removal (8 CFR 208.18(c))."""
    relied_on = Field("removal_order.assurances_relied_on")
    reliable = Field("removal_order.assurances_found_reliable")
    return decide(
        (relied_on.is_null(), unknown("not known whether diplomatic assurances are relied on")),
        (relied_on.eq(False), passing("no diplomatic assurances are relied on")),
        (
            reliable.is_null(),
            unknown("assurances from {to} are relied on, but no finding that they are reliable"),
        ),
        (reliable.eq(True), passing("assurances from {to} were found reliable")),
        otherwise=failing("assurances from {to} were not found reliable"),
    )
