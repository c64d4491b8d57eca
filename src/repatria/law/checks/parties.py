"""Whether the authority binds the states involved on the date: parties and agreements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from repatria.law.checks.base import check, is_str
from repatria.law.checks.vocabulary import AS_OF, FROM, REFERENCE, REFERENCE_NAME, TO
from repatria.law.expr import (
    Decide,
    Expr,
    LaterOf,
    PartyFrom,
    all_of,
    any_of,
    decide,
    failing,
    passing,
    text,
)
from repatria.law.schema import Authority


def _parties(authority: Authority) -> list[Expr]:
    """The states an authority must bind: both for a transfer, the sending one for a removal."""
    return [FROM] if authority.kind == "removal" else [FROM, TO]


def _agreement_in_force(authority: Authority) -> Expr:
    in_force = []
    for agreement in authority.agreements:
        period = agreement.from_ <= AS_OF
        if agreement.until is not None:
            period = period & (agreement.until >= AS_OF)
        in_force.append(FROM.eq(agreement.sending) & TO.eq(agreement.host) & period)
    return any_of(*in_force)


def binds(authority: Authority) -> Expr:
    """Whether an authority is in force between `from` and `to` on `as_of`."""
    different = FROM.ne(TO)
    if authority.kind == "custody":
        return different & _agreement_in_force(authority)
    return all_of(
        different,
        *(PartyFrom(authority.id, state, AS_OF).is_known() for state in _parties(authority)),
    )


def _why_not(authority: Authority, state: str, on: date) -> str:
    entries = [party for party in authority.parties if party.state == state]
    if not entries:
        checked = [entry for entry in authority.not_parties if entry.state == state]
        suffix = f" (checked: {checked[0].source})" if checked else ""
        return f"{state} is not a party to {authority.id}{suffix}"
    entry = entries[0]
    if on < entry.from_:
        return f"{state} is bound by {authority.id} only from {entry.from_}, after {on}"
    return f"{state} ceased to be bound by {authority.id} after {entry.until}"


@check("in-force")
def in_force(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Both states bound on the date (transfers) or the sending state (removals)."""
    states = _parties(authority)
    since = [PartyFrom(authority.id, state, AS_OF) for state in states]

    def problems(on: date, *found: Any) -> str:
        codes, dates = found[: len(states)], found[len(states) :]
        return "; ".join(
            _why_not(authority, code, on) for code, day in zip(codes, dates, strict=True) if not day
        )

    def bound_since(on: date, *found: Any) -> str:
        codes, dates = found[: len(states)], found[len(states) :]
        listed = ", ".join(f"{code} since {day}" for code, day in zip(codes, dates, strict=True))
        return f"{authority.id} binds {listed} (on {on})"

    return decide(
        (FROM.eq(TO), failing("from and to are the same state ({from})")),
        (~all_of(*(day.is_known() for day in since)), failing("{problems}")),
        otherwise=passing("{since}"),
        problems=text(problems, AS_OF, *states, *since),
        since=text(bound_since, AS_OF, *states, *since),
    )


@check("not-replaced", by=is_str)
def not_replaced(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No later instrument binding both states replaces this one between them on the date;
    a request received before the later one bound them both stays under this one."""
    by: str = params["by"]
    if not by:
        return decide(
            otherwise=passing("no instrument replaces {authority} on {as_of}"),
            authority=authority.id,
        )
    since_from, since_to = PartyFrom(by, FROM, AS_OF), PartyFrom(by, TO, AS_OF)
    return decide(
        (
            since_from.is_null() | since_to.is_null(),
            passing("{by} does not bind both {from} and {to}"),
        ),
        (
            LaterOf(since_from, since_to) > REFERENCE,
            passing(
                "the request was received on {received} ({which}), before {by} bound both"
                " states ({since}): it stays under {authority}"
            ),
        ),
        otherwise=failing(
            "between {from} and {to}, {by} replaces {authority} since {since}"
            " (request received {received}, {which})"
        ),
        by=by,
        authority=authority.id,
        received=REFERENCE,
        which=REFERENCE_NAME,
        since=LaterOf(since_from, since_to),
    )


@check("in-force-when-requested")
def in_force_when_requested(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Both states were bound when the request was received: an earlier request stays under
    the instruments that applied before."""
    bound = (
        PartyFrom(authority.id, FROM, REFERENCE).is_known()
        & PartyFrom(authority.id, TO, REFERENCE).is_known()
    )
    return decide(
        (
            ~bound,
            failing(
                "the request was received on {received} ({which}), before {authority} bound"
                " both {from} and {to}: the earlier instruments govern it"
            ),
        ),
        otherwise=passing(
            "{authority} bound both states when the request was received ({received})"
        ),
        authority=authority.id,
        received=REFERENCE,
        which=REFERENCE_NAME,
    )


@check("agreement-in-force")
def agreement_in_force(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A custody arrangement between the sending and the host state in force on the date."""
    branches = []
    seen: set[tuple[str, str]] = set()
    for agreement in authority.agreements:
        pair = (agreement.sending, agreement.host)
        if pair in seen:
            continue  # the first arrangement recorded for a pair decides
        seen.add(pair)
        same_pair = FROM.eq(pair[0]) & TO.eq(pair[1])
        period = agreement.from_ <= AS_OF
        if agreement.until is not None:
            period = period & (agreement.until >= AS_OF)
        arrow = f"{pair[0]}→{pair[1]}"
        branches += [
            (
                same_pair & period,
                passing(f"custody arrangement {arrow} in force since {agreement.from_}"),
            ),
            (
                same_pair,
                failing(
                    f"the {arrow} custody arrangement runs from {agreement.from_}"
                    f" to {agreement.until or 'open-ended'}, not on {{as_of}}"
                ),
            ),
        ]
    return decide(
        *branches, otherwise=failing("no custody arrangement is recorded for {from}→{to}")
    )
