"""The impact of an amendment: every open case re-assessed, vectorised with the screening
engine, under the law with and without it, as of today and as of the case's planned
departure; the cases whose verdict or failing grounds change, with the rules responsible."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Text, cast, func, select

from repatria.adapters.db import tables as t
from repatria.domain.access import sees_everything
from repatria.domain.accounts import Principal
from repatria.domain.amendments import LawAmendment
from repatria.domain.cases import Case, CaseState
from repatria.law.catalog import LawCatalog
from repatria.screening import screen
from repatria.screening.changes import changed_rules
from repatria.screening.roster import Fill, read_roster
from repatria.services import case_documents, clock, law_in_force
from repatria.services.unit_of_work import UnitOfWork, utcnow

# A case in one of these states is settled: no amendment changes what happened to it.
CLOSED = frozenset(
    {
        CaseState.COMPLETED,
        CaseState.DELIVERED,
        CaseState.DENIED,
        CaseState.WITHDRAWN,
        CaseState.CANCELLED,
    }
)


@dataclass(frozen=True, slots=True)
class OpenCase:
    """An open case and the document of its latest assessment (the facts it was judged on)."""

    case_id: int
    reference: str
    states: tuple[str, str]
    departure: date | None
    document: str  # the JSON text, as stored: it goes to the roster reader as it is


@dataclass(frozen=True, slots=True)
class Change:
    """One case whose verdict or failing grounds the amendment changes on a day."""

    case_id: int
    reference: str
    states: tuple[str, str]
    when: str  # "today" or "departure"
    on: date
    allowed_before: bool
    allowed_after: bool
    grounds_before: str
    grounds_after: str
    rules: tuple[str, ...]  # the rules whose outcome changed
    # Rulings on the authority the verdict now carries (a court order that changes no
    # outcome still changes the verdict: every verdict under the authority cites it).
    rulings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The change as plain JSON (the API, the command, the case's event)."""
        return {
            "case_id": self.case_id,
            "reference": self.reference,
            "when": self.when,
            "on": self.on.isoformat(),
            "allowed_before": self.allowed_before,
            "allowed_after": self.allowed_after,
            "grounds_before": self.grounds_before,
            "grounds_after": self.grounds_after,
            "rules": list(self.rules),
            "rulings": list(self.rulings),
        }


def open_cases(uow: UnitOfWork) -> list[OpenCase]:
    """Every open case with the document of its latest assessment (one query); a case never
    assessed (a draft) with the document its records give today."""
    c, a = t.cases.c, t.assessments.c
    latest = (
        select(func.max(a.id).label("id")).where(a.case_id.is_not(None)).group_by(a.case_id)
    ).subquery()
    query = (
        select(
            c.id,
            c.reference,
            c.from_state,
            c.to_state,
            c.departure_at,
            cast(a.document, Text).label("document"),
        )
        .join(t.assessments, a.case_id == c.id)
        .join(latest, latest.c.id == a.id)
        .where(c.state.not_in([state.value for state in CLOSED]))
        .order_by(c.id)
    )
    found = [
        OpenCase(case_id, reference, (sender, receiver), departure and departure.date(), text)
        for case_id, reference, sender, receiver, departure, text in uow.session.execute(query)
    ]
    return sorted(found + _never_assessed(uow), key=lambda case: case.case_id)


def _never_assessed(uow: UnitOfWork) -> list[OpenCase]:
    """Open cases with no assessment yet (drafts, removals before their first step), their
    documents built from their records one by one: there are few of them."""
    c, a = t.cases.c, t.assessments.c
    assessed = select(a.case_id).where(a.case_id.is_not(None))
    query = select(Case).where(
        c.state.not_in([state.value for state in CLOSED]), c.id.not_in(assessed)
    )
    today = clock.today()
    found = []
    for case in uow.session.scalars(query):
        assert case.id is not None
        document = case_documents.build_document(case_documents.load_records(uow, case), today)
        found.append(
            OpenCase(
                case.id,
                case.reference,
                (case.from_state, case.to_state),
                case.departure_at.date() if case.departure_at else None,
                json.dumps(document, separators=(",", ":")),
            )
        )
    return found


def _roster(found: list[OpenCase]) -> pl.DataFrame:
    """The documents as a typed roster, read by the screening engine's own reader."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "open-cases.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            # One document a line: a line break inside one (JSON allows it between tokens)
            # would split it.
            stream.write("\n".join(case.document.replace("\n", " ") for case in found))
        return read_roster(path, Fill())


def compare(
    found: list[OpenCase], without: LawCatalog, with_it: LawCatalog, today: date
) -> list[Change]:
    """The cases whose verdict or grounds differ between the two laws, today and at the
    planned departure, vectorised; the rules responsible for each, vectorised too."""
    if not found:
        return []
    roster = _roster(found)
    departures = pl.Series("as_of", [case.departure for case in found], pl.Date)
    today_rows = roster.with_columns(pl.lit(today, pl.Date).alias("as_of"))
    departure_rows = roster.with_columns(departures).filter(pl.col("as_of").is_not_null())
    # Both days in one roster, so each law is screened once (its fixed cost paid once).
    dated = pl.concat([today_rows, departure_rows])
    before, after = screen(dated, without), screen(dated, with_it)
    rulings = _rulings_added(dated, without, with_it)
    differs = (before["allowed"] != after["allowed"]) | (
        before["grounds"].cast(pl.String) != after["grounds"].cast(pl.String)
    )
    if rulings:
        differs = differs | pl.Series([bool(rulings.get(i)) for i in range(dated.height)])
    positions = differs.arg_true()
    if positions.len() == 0:
        return []
    chosen = dated[positions]
    rules = changed_rules(chosen, without, with_it)
    columns = zip(
        positions.to_list(),
        before["row"].gather(positions).to_list(),
        chosen["as_of"].to_list(),
        before["allowed"].gather(positions).to_list(),
        after["allowed"].gather(positions).to_list(),
        before["grounds"].cast(pl.String).gather(positions).to_list(),
        after["grounds"].cast(pl.String).gather(positions).to_list(),
        rules,
        strict=True,
    )
    changes: list[Change] = []
    for position, row, on, allowed_before, allowed_after, old, new, moved in columns:
        added = tuple(rulings.get(position, ()))
        case = found[row]
        changes.append(
            Change(
                case.case_id,
                case.reference,
                case.states,
                "today" if position < today_rows.height else "departure",
                on,
                bool(allowed_before),
                bool(allowed_after),
                old or "",
                new or "",
                tuple(moved),
                added,
            )
        )
    return sorted(changes, key=lambda change: (change.case_id, change.when))


def _rulings_added(
    dated: pl.DataFrame, without: LawCatalog, with_it: LawCatalog
) -> dict[int, list[str]]:
    """The rulings each row's verdict carries under one law and not the other (a ruling
    applies to the verdicts under its authority as of its day on)."""
    found: dict[int, list[str]] = {}
    authority = dated["authority"].cast(pl.String)
    for name, amended in with_it.authorities.items():
        before = without.authorities.get(name)
        known = {(r.court, r.decided_on) for r in before.contested} if before else set()
        for ruling in amended.contested:
            if (ruling.court, ruling.decided_on) in known:
                continue
            reached = (authority == name) & (dated["as_of"] >= ruling.decided_on)
            label = f"{ruling.court}, {ruling.decided_on}"
            for position in reached.fill_null(False).arg_true().to_list():
                found.setdefault(position, []).append(label)
    return found


def laws(uow: UnitOfWork, amendment: LawAmendment) -> tuple[LawCatalog, LawCatalog]:
    """The law in force without the amendment, and with it (whatever its day)."""
    assert amendment.id is not None
    without = law_in_force.catalog_of(uow, without=amendment.id)
    text = law_in_force.as_text(amendment, proposal=True)
    return without, law_in_force.catalog_of(uow, without=amendment.id, adding=[text])


def impact(
    uow: UnitOfWork, principal: Principal, amendment: LawAmendment, *, on: date | None = None
) -> list[Change]:
    """The open cases the amendment changes, as of `on` (today) and each planned departure;
    the principal sees the changes to cases of its state (auditors and the operator, all)."""
    without, with_it = laws(uow, amendment)
    changes = compare(open_cases(uow), without, with_it, on or clock.today())
    return [change for change in changes if _sees(principal, change)]


def _sees(principal: Principal, change: Change) -> bool:
    return sees_everything(principal) or principal.state in change.states


def announce(uow: UnitOfWork, principal: Principal, *, on: date | None = None) -> int:
    """Tell each case an amendment that has taken effect changes (an event on the case, which
    its officers' dashboards list), once per amendment; the number of events recorded."""
    day = on or clock.today()
    recorded = 0
    for amendment in law_in_force.approved(uow):
        if amendment.announced_at is not None or amendment.effective_on is None:
            continue
        if amendment.effective_on > day:
            continue
        without, with_it = laws(uow, amendment)
        for change in compare(open_cases(uow), without, with_it, day):
            uow.record(
                principal,
                "LawAmendmentTookEffect",
                "case",
                change.case_id,
                after={"amendment": amendment.id, **change.as_json()},
                reason=f"amendment {amendment.id} ({amendment.title}) took effect on"
                f" {amendment.effective_on}",
                legal_basis=amendment.adds,
                states=list(change.states),
            )
            recorded += 1
        amendment.announced_at = utcnow()
    uow.session.flush()
    return recorded


def recent_effects(uow: UnitOfWork, principal: Principal, days: int = 30) -> list[dict[str, Any]]:
    """The open cases of the principal's state an amendment changed when it took effect in
    the last `days` days, newest first (its officers' dashboards list them)."""
    e, c = t.events.c, t.cases.c
    since = utcnow() - timedelta(days=days)
    query = (
        select(e.subject_id, e.after, e.states, e.recorded_at)
        .where(e.command == "LawAmendmentTookEffect", e.recorded_at >= since)
        .order_by(e.seq.desc())
        .limit(500)
    )
    found = []
    for row in uow.session.execute(query):
        if not (sees_everything(principal) or principal.state in (row.states or [])):
            continue
        after = dict(row.after or {})
        found.append({**after, "case_id": int(row.subject_id), "recorded_at": row.recorded_at})
    open_ids = set(
        uow.session.scalars(
            select(c.id).where(
                c.id.in_([item["case_id"] for item in found]),
                c.state.not_in([state.value for state in CLOSED]),
            )
        )
    )
    return [item for item in found if item["case_id"] in open_ids]
