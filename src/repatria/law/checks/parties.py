"""Whether the authority binds the states involved on the date: parties and agreements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from repatria.law.checks.base import check, is_str
from repatria.law.checks.vocabulary import AS_OF, FROM, REFERENCE, REFERENCE_NAME, TO
from repatria.law.expr import (
    AuthorityRef,
    BoundOn,
    Decide,
    Expr,
    Field,
    LaterOf,
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
from repatria.law.language import Language, Words, country, day_in, term
from repatria.law.schema import Authority
from repatria.law.terms import REFERENCE_DAYS


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


def _reasons(authority_id: str, states: list[Expr], on: Expr) -> Expr:
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
        problems=_reasons(authority.id, states, AS_OF),
        since=text(bound_since, AuthorityRef(authority.id), AS_OF, *states, *since),
    )


_SINCE = Words("{state} since {day}", "a {state} desde el {day}")
_BINDS = Words("{id} binds {listed} (on {on})", "{id} obliga {listed} (al {on})")
JUDGMENT_DATE = Field("sentence.judgment_date")


def is_cutoffs(value: object) -> bool:
    """A mapping of state codes to the day before which their declared rule applies."""
    return isinstance(value, dict) and all(
        isinstance(state, str) and isinstance(day, date) for state, day in value.items()
    )


def earlier_judgment(cutoffs: Mapping[str, date]) -> Expr:
    """Whether the judgment predates the cut-off either state of the pair declared (unknown
    where a declaration applies and the judgment's date is not known)."""
    return any_of(
        *(
            (FROM.eq(state) | TO.eq(state)) & (day > JUDGMENT_DATE)
            for state, day in sorted(cutoffs.items())
        )
    )


_DECLARED = Words(
    "{state} for judgments before {day}", "{state} para sentencias anteriores al {day}"
)


def _declared(cutoffs: Mapping[str, date]) -> Expr:
    return text(
        lambda language, from_state, to_state: "; ".join(
            _DECLARED(language).format(state=country(language, state), day=day_in(language, day))
            for state, day in sorted(cutoffs.items())
            if state in (from_state, to_state)
        ),
        FROM,
        TO,
    )


@check(
    "not-replaced",
    title=Words("Not replaced by a later instrument", "No sustituido por un instrumento posterior"),
    by=is_str,
    kept_for_judgments_before=is_cutoffs,
)
def not_replaced(params: Mapping[str, Any], authority: Authority) -> Decide:
    """No later instrument binding both states replaces this one between them on the date;
    a request received before the later one bound them both, or a judgment issued before a
    date one of the states declared, stays under this one."""
    by: str = params["by"]
    kept = earlier_judgment(params["kept_for_judgments_before"])
    if not by:
        return decide(
            otherwise=passing(
                "no instrument replaces {authority} on {as_of}",
                es="ningún instrumento sustituye a {authority} al {as_of}",
            ),
            authority=authority.id,
        )
    bound = [BoundOn(by, FROM, AS_OF), BoundOn(by, TO, AS_OF)]
    since = LaterOf(PartyFrom(by, FROM, AS_OF), PartyFrom(by, TO, AS_OF))
    return decide(
        (
            bound[0].eq(False) | bound[1].eq(False),
            passing(
                "{by} does not bind both {from} and {to}",
                es="{by} no obliga a la vez a {from} y a {to}",
            ),
        ),
        (
            bound[0].is_null() | bound[1].is_null(),
            unknown(
                "whether {by}, which would replace {authority}, binds both {from} and {to}"
                " on {as_of} is not certain: {problems}",
                es="no es seguro que {by}, que sustituiría a {authority}, obligue a la vez a"
                " {from} y a {to} al {as_of}: {problems}",
            ),
        ),
        (
            kept.eq(True),
            passing(
                "a judgment of {judgment_date}, which {declared} keep under the earlier"
                " instruments: it stays under {authority}",
                es="una sentencia del {judgment_date}, que {declared} mantienen bajo los"
                " instrumentos anteriores: sigue rigiéndose por {authority}",
            ),
        ),
        (
            kept.is_null(),
            unknown(
                "the judgment's date is not known, and {declared} keep the earlier"
                " instruments for judgments before their dates",
                es="se desconoce la fecha de la sentencia, y {declared} mantienen los"
                " instrumentos anteriores para las sentencias previas a esas fechas",
            ),
        ),
        (
            since > REFERENCE,
            passing(
                "the request was received on {received} ({which}), before {by} bound both"
                " states ({since}): it stays under {authority}",
                es="la solicitud se recibió el {received} ({which}), antes de que {by}"
                " obligara a ambos Estados ({since}): sigue rigiéndose por {authority}",
            ),
        ),
        otherwise=failing(
            "between {from} and {to}, {by} replaces {authority} since {since}"
            " (request received {received}, {which})",
            es="entre {from} y {to}, {by} sustituye a {authority} desde el {since}"
            " (solicitud recibida el {received}, {which})",
        ),
        by=by,
        authority=authority.id,
        received=REFERENCE,
        which=text(partial(term, REFERENCE_DAYS), REFERENCE_NAME),
        since=since,
        problems=_reasons(by, [FROM, TO], AS_OF),
        judgment_date=JUDGMENT_DATE,
        declared=_declared(params["kept_for_judgments_before"]),
    )


@check(
    "in-force-when-requested",
    title=Words("In force when the request was received", "En vigor al recibirse la solicitud"),
)
def in_force_when_requested(params: Mapping[str, Any], authority: Authority) -> Decide:
    """Both states were bound when the request was received: an earlier request stays under
    the instruments that applied before."""
    bound = [BoundOn(authority.id, FROM, REFERENCE), BoundOn(authority.id, TO, REFERENCE)]
    return decide(
        (
            bound[0].eq(False) | bound[1].eq(False),
            failing(
                "the request was received on {received} ({which}), before {authority} bound"
                " both {from} and {to}: the earlier instruments govern it",
                es="la solicitud se recibió el {received} ({which}), antes de que {authority}"
                " obligara a la vez a {from} y a {to}: la rigen los instrumentos anteriores",
            ),
        ),
        (
            bound[0].is_null() | bound[1].is_null(),
            unknown(
                "on {received} ({which}): {problems}", es="al {received} ({which}): {problems}"
            ),
        ),
        otherwise=passing(
            "{authority} bound both states when the request was received ({received})",
            es="{authority} obligaba a ambos Estados cuando se recibió la solicitud ({received})",
        ),
        authority=authority.id,
        received=REFERENCE,
        which=text(partial(term, REFERENCE_DAYS), REFERENCE_NAME),
        problems=_reasons(authority.id, [FROM, TO], REFERENCE),
    )


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


@check(
    "judgment-not-before-declared-date",
    title=Words(
        "Judgment not before a declared date", "Sentencia no anterior a una fecha declarada"
    ),
    cutoffs=is_cutoffs,
)
def judgment_not_before_declared_date(params: Mapping[str, Any], authority: Authority) -> Decide:
    """A state that declared it keeps the earlier instruments for judgments issued before a
    date: such a judgment, between it and any other state, stays under them."""
    cutoffs: Mapping[str, date] = params["cutoffs"]
    earlier = earlier_judgment(cutoffs)
    return decide(
        (
            earlier.eq(True),
            failing(
                "a judgment of {judgment_date}: the earlier instruments govern it ({declared})",
                es="una sentencia del {judgment_date}: la rigen los instrumentos anteriores"
                " ({declared})",
            ),
        ),
        (
            earlier.is_null(),
            unknown(
                "the judgment's date is not known, and {declared} keep the earlier instruments",
                es="se desconoce la fecha de la sentencia, y {declared} mantienen los"
                " instrumentos anteriores",
            ),
        ),
        otherwise=passing(
            "no declaration keeps the earlier instruments for this judgment",
            es="ninguna declaración mantiene los instrumentos anteriores para esta sentencia",
        ),
        judgment_date=JUDGMENT_DATE,
        declared=_declared(cutoffs),
    )
