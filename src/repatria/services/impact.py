"""The impact of an amendment: every open case re-assessed, vectorised with the screening
engine, under the law with and without it, as of today and as of the case's planned
departure; the cases whose verdict or failing grounds change, with the rules responsible."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from repatria.domain.access import scope_of, sees_everything
from repatria.domain.accounts import Principal
from repatria.domain.amendments import LawAmendment
from repatria.domain.cases import CaseState
from repatria.law.catalog import LawCatalog
from repatria.screening import screen
from repatria.screening.changes import changed_rules
from repatria.screening.roster import Fill, read_documents
from repatria.services import case_documents, clock, law_in_force
from repatria.services.ports.cases import OpenCases
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


def open_cases(uow: UnitOfWork, involving: str | None = None) -> OpenCases:
    """Every open case (from or to the state `involving`, where given) with the document of
    its latest assessment, read in columns; a case never assessed (a draft) with the document
    its records give today (there are few)."""
    found = uow.cases.open_with_documents(CLOSED, involving)
    today = clock.today()
    for position, document in enumerate(found.documents):
        if document is None:
            case = uow.cases.get(found.case_ids[position])
            assert case is not None  # listed in this transaction
            built = case_documents.build_document(case_documents.load_records(uow, case), today)
            found.documents[position] = json.dumps(built, separators=(",", ":"))
    return found


def compare(
    found: OpenCases, without: LawCatalog, with_it: LawCatalog, today: date
) -> list[Change]:
    """The cases whose verdict or grounds differ between the two laws, today and at the
    planned departure, vectorised; the rules responsible for each, vectorised too."""
    if not found.case_ids:
        return []
    roster = read_documents(pl.Series(found.documents, dtype=pl.String), Fill())
    departures = pl.Series("as_of", found.departures, pl.Date)
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
    rows = before["row"].gather(positions)
    listed = pl.DataFrame(
        {
            "index": pl.int_range(positions.len(), eager=True),
            "position": positions,
            "row": rows,
            "case_id": pl.Series(found.case_ids, dtype=pl.Int64).gather(rows),
            # Listed by case, its departure before today (as "departure" sorts before "today").
            "today": positions < today_rows.height,
            "on": chosen["as_of"],
            "was_allowed": before["allowed"].gather(positions),
            "is_allowed": after["allowed"].gather(positions),
            "old": before["grounds"].cast(pl.String).gather(positions).fill_null(""),
            "new": after["grounds"].cast(pl.String).gather(positions).fill_null(""),
        }
    ).sort("case_id", "today")
    columns = zip(*(listed[name].to_list() for name in listed.columns), strict=True)
    return [
        Change(
            case_id,
            found.references[row],
            (found.senders[row], found.receivers[row]),
            "today" if today else "departure",
            on,
            was_allowed,
            is_allowed,
            old,
            new,
            rules[index],
            tuple(rulings.get(position, ())),
        )
        for index, position, row, case_id, today, on, was_allowed, is_allowed, old, new in columns
    ]


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
    found = open_cases(uow, scope_of(principal))
    return compare(found, without, with_it, on or clock.today())


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
        uow.amendments.update(amendment)
    return recorded


def recent_effects(uow: UnitOfWork, principal: Principal, days: int = 30) -> list[dict[str, Any]]:
    """The open cases of the principal's state an amendment changed when it took effect in
    the last `days` days, newest first (its officers' dashboards list them)."""
    since = utcnow() - timedelta(days=days)
    found = [
        {**(event.after or {}), "case_id": int(event.subject_id), "recorded_at": event.recorded_at}
        for event in uow.audit.recorded_since("LawAmendmentTookEffect", since, limit=500)
        if sees_everything(principal) or principal.state in event.states
    ]
    still_open = uow.cases.open_among({item["case_id"] for item in found}, CLOSED)
    return [item for item in found if item["case_id"] in still_open]
