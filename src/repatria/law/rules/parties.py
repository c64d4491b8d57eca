"""Whether the authority binds the states involved on the date: parties and agreements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from repatria.law.rules.base import Finding, RuleContext, check, failed, is_str, passed
from repatria.law.schema import Authority, Party


def party_on(authority: Authority, state: str, on: date) -> Party | None:
    """The party entry binding `state` on a date, or None."""
    for party in authority.parties:
        if (
            party.state == state
            and party.from_ <= on
            and (party.until is None or on <= party.until)
        ):
            return party
    return None


def _why_not_party(authority: Authority, state: str, on: date) -> str:
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
def in_force(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Both states bound on the date (transfers) or the sending state (removals)."""
    doc, authority = ctx.document, ctx.authority
    if doc.from_state == doc.to_state:
        return failed(f"from and to are the same state ({doc.from_state})")
    states = [doc.from_state] if authority.kind == "removal" else [doc.from_state, doc.to_state]
    bound = {state: party_on(authority, state, ctx.as_of) for state in states}
    problems = [_why_not_party(authority, s, ctx.as_of) for s, party in bound.items() if not party]
    if problems:
        return failed("; ".join(problems))
    since = ", ".join(f"{s} since {party.from_}" for s, party in bound.items() if party)
    return passed(f"{authority.id} binds {since} (on {ctx.as_of})")


@check("not-replaced", by=is_str)
def not_replaced(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """No later instrument binding both states replaces this one between them on the date;
    a request received before the later one bound them both stays under this one."""
    from repatria.law.catalog import load_catalog  # the catalog reads these checks' names

    doc, by = ctx.document, params["by"]
    other = load_catalog().authorities.get(by) if by else None
    if other is None:
        return passed(f"no instrument replaces {ctx.authority.id} on {ctx.as_of}")
    bound = [party_on(other, state, ctx.as_of) for state in (doc.from_state, doc.to_state)]
    if bound[0] is None or bound[1] is None:
        return passed(f"{other.id} does not bind both {doc.from_state} and {doc.to_state}")
    since = max(bound[0].from_, bound[1].from_)
    received, which = _reference(ctx)
    if received < since:
        return passed(
            f"the request was received on {received} ({which}), before {other.id} bound both"
            f" states ({since}): it stays under {ctx.authority.id}"
        )
    return failed(
        f"between {doc.from_state} and {doc.to_state}, {other.id} replaces {ctx.authority.id}"
        f" since {since} (request received {received}, {which})"
    )


def _reference(ctx: RuleContext) -> tuple[date, str]:
    """The day a request counts as received: request_received_on, else as_of (as the
    remaining-sentence rule reads it), and which of the two it was."""
    received = ctx.document.request_received_on
    return (received, "request_received_on") if received else (ctx.as_of, "as_of")


@check("in-force-when-requested")
def in_force_when_requested(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Both states were bound when the request was received: an earlier request stays under
    the instruments that applied before."""
    doc, authority = ctx.document, ctx.authority
    received, which = _reference(ctx)
    bound = [party_on(authority, state, received) for state in (doc.from_state, doc.to_state)]
    if bound[0] is None or bound[1] is None:
        return failed(
            f"the request was received on {received} ({which}), before {authority.id} bound"
            f" both {doc.from_state} and {doc.to_state}: the earlier instruments govern it"
        )
    return passed(f"{authority.id} bound both states when the request was received ({received})")


@check("agreement-in-force")
def agreement_in_force(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """A custody arrangement between the sending and the host state in force on the date."""
    doc = ctx.document
    for agreement in ctx.authority.agreements:
        if (agreement.sending, agreement.host) != (doc.from_state, doc.to_state):
            continue
        if agreement.from_ <= ctx.as_of and (
            agreement.until is None or ctx.as_of <= agreement.until
        ):
            pair = f"{doc.from_state}→{doc.to_state}"
            return passed(f"custody arrangement {pair} in force since {agreement.from_}")
        return failed(
            f"the {doc.from_state}→{doc.to_state} custody arrangement runs from {agreement.from_}"
            f" to {agreement.until or 'open-ended'}, not on {ctx.as_of}"
        )
    return failed(f"no custody arrangement is recorded for {doc.from_state}→{doc.to_state}")
