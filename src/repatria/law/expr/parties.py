"""Nodes that read an authority's party chart in the catalog: who is bound, and since when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from repatria.law.expr.nodes import Env, Expr

if TYPE_CHECKING:
    from repatria.law.schema import Authority, Party


def binding_entry(authority: Authority, state: str, on: date) -> Party | None:
    """The first verified entry of an authority's party chart that binds a state on a date."""
    for party in authority.parties:
        if (
            party.verified
            and party.state == state
            and party.from_ <= on
            and (party.until is None or on <= party.until)
        ):
            return party
    return None


def covers(party: Party, on: date) -> bool:
    """Whether a party entry's period includes a day."""
    return party.from_ <= on and (party.until is None or on <= party.until)


def bound_on(authority: Authority, state: str, on: date) -> bool | None:
    """Whether an authority binds a state on a date: true by a verified party entry; unknown
    where only an unverified entry covers the day, or the state is absent from a list not
    known to be complete (or complete only as of an earlier day); else false."""
    if binding_entry(authority, state, on):
        return True
    entries = [party for party in authority.parties if party.state == state]
    if any(not party.verified and covers(party, on) for party in entries):
        return None
    if entries or any(o.state == state and o.verified for o in authority.not_parties):
        return False
    listed = authority.party_list
    if listed is None or not listed.complete or (listed.as_of is not None and on > listed.as_of):
        return None
    return False


@dataclass(frozen=True, eq=False)
class PartyFrom(Expr):
    """The first day of the verified party entry that binds a state on a date (None where
    none does)."""

    authority_id: str
    state: Expr
    on: Expr

    def evaluate(self, env: Env) -> Any:
        state, on = self.state.evaluate(env), self.on.evaluate(env)
        authority = env.catalog.authorities.get(self.authority_id)
        if authority is None or state is None or on is None:
            return None
        entry = binding_entry(authority, state, on)
        return entry.from_ if entry else None


@dataclass(frozen=True, eq=False)
class BoundOn(Expr):
    """Whether an authority binds a state on a date, in three values (see `bound_on`)."""

    authority_id: str
    state: Expr
    on: Expr

    def evaluate(self, env: Env) -> Any:
        state, on = self.state.evaluate(env), self.on.evaluate(env)
        authority = env.catalog.authorities.get(self.authority_id)
        if authority is None:
            return False
        return None if state is None or on is None else bound_on(authority, state, on)


@dataclass(frozen=True, eq=False)
class Listed(Expr):
    """Whether a state has any entry in an authority's party chart."""

    authority_id: str
    state: Expr

    def evaluate(self, env: Env) -> Any:
        state = self.state.evaluate(env)
        authority = env.catalog.authorities.get(self.authority_id)
        if authority is None:
            return False
        return None if state is None else any(p.state == state for p in authority.parties)


@dataclass(frozen=True, eq=False)
class AuthorityRef(Expr):
    """An authority's data from the catalog (for reasons only)."""

    authority_id: str

    def evaluate(self, env: Env) -> Any:
        return env.catalog.authorities.get(self.authority_id)
