"""Whether the authority binds the states involved on the date: parties and agreements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from repatria.law.checks.base import check
from repatria.law.checks.vocabulary import AS_OF, FROM, TO
from repatria.law.expr import (
    AuthorityRef,
    BoundOn,
    Decide,
    Expr,
    Listed,
    PartyFrom,
    all_of,
    any_of,
    binding_entry,
    bound_on,
    covers,
    decide,
    failing,
    passing,
    text,
    unknown,
)
from repatria.law.language import Language, Words, country, day_in
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
    """Whether an authority may govern a movement from `from` to `to` on `as_of`: bound for
    certain, or by a party entry whose date is not verified (the verdict then says so)."""
    different = FROM.ne(TO)
    if authority.kind == "custody":
        return different & _agreement_in_force(authority)
    bound = [BoundOn(authority.id, state, AS_OF) for state in _parties(authority)]
    may_bind = [
        on.eq(True) | (on.is_null() & Listed(authority.id, state))
        for on, state in zip(bound, _parties(authority), strict=True)
    ]
    return all_of(different, *may_bind)


def _brief(source: str) -> str:
    """A source's first sentence, short enough for a reason (the whole is in `law show`)."""
    first = " ".join(source.split()).split(". ")[0].rstrip(".")
    return first if len(first) <= 160 else first[:157] + "..."


def why_not(language: Language, authority: Authority, state: str, on: date) -> str:
    """Why an authority does not (or may not) bind a state on a date, in plain words."""
    entries = [party for party in authority.parties if party.state == state]
    unverified = [party for party in entries if not party.verified and covers(party, on)]
    name, day = country(language, state), partial(day_in, language)
    words = _WHY[1 if language == "es" else 0].__getitem__
    if unverified:
        entry = unverified[0]
        period = day(entry.from_) + (words("until").format(day(entry.until)) if entry.until else "")
        return words("unverified").format(
            state=name, id=authority.id, period=period, source=_brief(entry.source)
        )
    listed = authority.party_list
    if not entries and not any(o.state == state and o.verified for o in authority.not_parties):
        if listed is None or not listed.complete:
            brief = _brief(listed.source) if listed else ""
            per = (
                f" («{brief}»)" if listed and language == "es" else f" ({brief})" if listed else ""
            )
            return words("incomplete").format(state=name, id=authority.id, per=per)
        if listed.as_of is not None and on > listed.as_of:
            return words("later").format(
                state=name, id=authority.id, as_of=day(listed.as_of), source=_brief(listed.source)
            )
    if not entries:
        checked = [entry for entry in authority.not_parties if entry.state == state]
        suffix = words("checked").format(checked[0].source) if checked else ""
        return words("not_party").format(state=name, id=authority.id, suffix=suffix)
    entry = entries[0]
    if on < entry.from_:
        return words("from").format(state=name, id=authority.id, since=day(entry.from_), on=day(on))
    return words("ceased").format(state=name, id=authority.id, until=day(entry.until))


# The sentences of `why_not`, English then Spanish (the source notes quoted stay as written).
_WHY: tuple[dict[str, str], dict[str, str]] = (
    {
        "until": " to {}",
        "unverified": "{state}'s date under {id} ({period}) is not verified: {source}",
        "incomplete": "{state} is not among the parties listed for {id},"
        " a list not known to be complete{per}",
        "later": "{state} was not a party to {id} on {as_of} ({source});"
        " a later accession is not on record",
        "checked": " (checked: {})",
        "not_party": "{state} is not a party to {id}{suffix}",
        "from": "{state} is bound by {id} only from {since}, after {on}",
        "ceased": "{state} ceased to be bound by {id} after {until}",
    },
    {
        "until": " al {}",
        "unverified": "la fecha en que {id} obliga a {state} ({period}) no está verificada:"
        " «{source}»",
        "incomplete": "{state} no figura entre las Partes de {id} registradas, una lista que no"
        " se sabe completa{per}",
        "later": "{state} no era Parte en {id} al {as_of} («{source}»); no consta una adhesión"
        " posterior",
        "checked": " (comprobado: «{}»)",
        "not_party": "{state} no es Parte en {id}{suffix}",
        "from": "{id} obliga a {state} solo a partir del {since}, después del {on}",
        "ceased": "{id} dejó de obligar a {state} después del {until}",
    },
)


def _cited(authority: Authority, state: str, on: date) -> str:
    """The citation of the party entry that binds a state, where it has one (a local
    amendment's entries must)."""
    entry = binding_entry(authority, state, on)
    return f" ({entry.citation.render()})" if entry and entry.citation else ""


def party_problems(authority_id: str, states: list[Expr], on: Expr) -> Expr:
    """Why the states are not (or may not be) bound, for those that are not for certain."""

    def words(language: Language, authority: Authority, day: date, *codes: str) -> str:
        return "; ".join(
            why_not(language, authority, code, day)
            for code in codes
            if bound_on(authority, code, day) is not True
        )

    return text(words, AuthorityRef(authority_id), on, *states)


@check(
    "in-force",
    title=Words(
        "The instrument binds the states on the date",
        "El instrumento obliga a los Estados en la fecha",
    ),
)
def in_force(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Both states bound on the date (transfers) or the sending state (removals)."""
    states = _parties(authority)
    bound = [BoundOn(authority.id, state, AS_OF) for state in states]
    since = [PartyFrom(authority.id, state, AS_OF) for state in states]

    def bound_since(language: Language, data: Authority, on: date, *found: Any) -> str:
        codes, dates = found[: len(states)], found[len(states) :]
        each = _SINCE(language)
        listed = ", ".join(
            each.format(state=country(language, code), day=day_in(language, day))
            + _cited(data, code, on)
            for code, day in zip(codes, dates, strict=True)
        )
        return _BINDS(language).format(id=data.id, listed=listed, on=day_in(language, on))

    return decide(
        (
            FROM.eq(TO),
            failing(
                "from and to are the same state ({from})",
                es="el Estado trasladante y el Estado receptor son el mismo ({from})",
            ),
        ),
        (any_of(*(b.eq(False) for b in bound)), failing("{problems}", es="{problems}")),
        (any_of(*(b.is_null() for b in bound)), unknown("{problems}", es="{problems}")),
        otherwise=passing("{since}", es="{since}"),
        problems=party_problems(authority.id, states, AS_OF),
        since=text(bound_since, AuthorityRef(authority.id), AS_OF, *states, *since),
    )


_SINCE = Words("{state} since {day}", "a {state} desde el {day}")
_BINDS = Words("{id} binds {listed} (on {on})", "{id} obliga {listed} (al {on})")


@check(
    "agreement-in-force",
    title=Words("Custody arrangement in force", "Acuerdo de custodia en vigor"),
)
def agreement_in_force(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A custody arrangement between the sending and the host state in force on the date."""
    branches = []
    values: dict[str, object] = {}
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
        # The branch is taken only for its own pair, so {from}→{to} names the arrangement.
        since, until = f"since_{len(seen)}", f"until_{len(seen)}"
        values[since] = agreement.from_
        values[until] = text(_until, agreement.until)
        branches += [
            (
                same_pair & period,
                passing(
                    f"custody arrangement {{from}}→{{to}} in force since {{{since}}}",
                    es=f"acuerdo de custodia {{from}}→{{to}} en vigor desde el {{{since}}}",
                ),
            ),
            (
                same_pair,
                failing(
                    f"the {{from}}→{{to}} custody arrangement runs from {{{since}}}"
                    f" to {{{until}}}, not on {{as_of}}",
                    es=f"el acuerdo de custodia {{from}}→{{to}} rige desde el {{{since}}}"
                    f" {{{until}}}, y no el {{as_of}}",
                ),
            ),
        ]
    return decide(
        *branches,
        otherwise=failing(
            "no custody arrangement is recorded for {from}→{to}",
            es="no consta acuerdo de custodia para {from}→{to}",
        ),
        **values,
    )


def _until(language: Language, day: date | None) -> str:
    """The end of an arrangement: in English the day (or open-ended), as the "to" of "from
    ... to ..."; in Spanish the whole phrase ("hasta el 1 de febrero de 2026")."""
    if language == "es":
        return f"hasta el {day_in(language, day)}" if day else "sin fecha de término"
    return str(day) if day else "open-ended"
