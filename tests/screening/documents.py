"""Random assessment documents for property tests, crowded around the law's thresholds."""

from __future__ import annotations

import calendar
import copy
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from repatria.law import AUTHORITY_IDS
from repatria.law.arithmetic import add_months
from repatria.law.catalog import load_catalog
from repatria.law.document import parse_document
from repatria.law.errors import InvalidDocument
from repatria.law.scenarios import load_scenarios
from repatria.screening.fields import ENUMS, FIELDS, GROUPS, Kind

STATES = ("US", "MX", "CA", "SV", "GT", "HN", "CO", "FR", "DE", "ES", "GB", "NL", "PL", "VE", "TH")
OFFENSES = ENUMS["sentence.offense_category"]
GROUNDS = ENUMS["exceptions.ground"]


def _law_dates() -> list[date]:
    """Every date the law data names: entry into force, departure, dated values."""
    catalog = load_catalog()
    found: set[date] = set()
    for authority in catalog.authorities.values():
        for party in authority.parties:
            found.update(d for d in (party.from_, party.until) if d is not None)
        for agreement in authority.agreements:
            found.update(d for d in (agreement.from_, agreement.until) if d is not None)
    for owner in [*catalog.authorities.values(), *catalog.rule_sets.values()]:
        for parameter in owner.parameters.values():
            found.update(entry.from_ for entry in parameter.values)
    return sorted(found)


LAW_DATES = _law_dates()
MONTH_ENDS = [
    date(year, month, calendar.monthrange(year, month)[1])
    for year in (2023, 2024, 2025)
    for month in range(1, 13)
]
LEAP_DAYS = [
    date(2020, 2, 29),
    date(2024, 2, 29),
    date(2028, 2, 29),
    date(2025, 2, 28),
    date(2025, 3, 1),
]


@st.composite
def as_of_dates(draw: st.DrawFn) -> date:
    """A date near a law date, a month end, a leap day, or anywhere from 1980 to 2030."""
    base = draw(
        st.one_of(
            st.sampled_from(LAW_DATES),
            st.sampled_from(MONTH_ENDS),
            st.sampled_from(LEAP_DAYS),
            st.dates(date(1980, 1, 1), date(2030, 12, 31)),
        )
    )
    return base + timedelta(days=draw(st.sampled_from((-1, 0, 0, 1))))


def near(draw: st.DrawFn, day: date, spread: int = 3) -> date:
    """A date within a few days of another."""
    return day + timedelta(days=draw(st.integers(-spread, spread)))


def maybe(draw: st.DrawFn, value: Any, absent: float = 0.25) -> Any:
    """The value, or None (unknown) about a quarter of the time."""
    return None if draw(st.floats(0, 1)) < absent else value


@st.composite
def sentences(draw: st.DrawFn, reference: date) -> dict[str, Any]:
    """A sentence whose release falls near reference + 6 or 12 months."""
    months = draw(st.sampled_from((6, 12)))
    release = add_months(reference, months) + timedelta(
        days=draw(st.sampled_from((-1, 0, 1, -40, 300)))
    )
    start = reference - timedelta(days=draw(st.integers(0, 4000)))
    credit = draw(st.sampled_from((0, 0, 10, 200)))
    length = max(1, (release - start).days + credit)
    sentence: dict[str, Any] = {
        "offense_category": maybe(draw, draw(st.sampled_from(OFFENSES))),
        "dual_criminality": maybe(draw, draw(st.booleans())),
        "start_date": maybe(draw, start.isoformat(), 0.1),
        "length_days": maybe(draw, length, 0.1),
        "credit_days": maybe(draw, min(credit, length)),
        "indeterminate": maybe(draw, draw(st.booleans()), 0.5),
        "death_sentence": maybe(draw, draw(st.booleans())),
        "final": maybe(draw, draw(st.booleans())),
        "appeal_pending": maybe(draw, draw(st.booleans())),
        "collateral_attack_pending": maybe(draw, draw(st.booleans())),
        "other_charges_pending": maybe(draw, draw(st.booleans())),
        "state_prisoner": maybe(draw, draw(st.booleans())),
        "judgment_date": maybe(draw, near(draw, start, 30).isoformat(), 0.6),
    }
    return {k: v for k, v in sentence.items() if v is not None or draw(st.booleans())}


@st.composite
def times(draw: st.DrawFn, day: date) -> str:
    """An ISO time on or near a day, with Z, an offset, or none."""
    moment = datetime.combine(near(draw, day, 2), datetime.min.time()) + timedelta(
        minutes=draw(st.integers(0, 24 * 60 - 1)),
        microseconds=draw(st.sampled_from((0, 0, 500_000, 123_456))),
    )
    zone = draw(
        st.sampled_from(
            (None, UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30)))
        )
    )
    text = moment.replace(tzinfo=zone).isoformat()
    return text.replace("+00:00", "Z") if zone is UTC and draw(st.booleans()) else text


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid assessment document (authority None: to be screened against all)."""
    as_of = draw(as_of_dates())
    received = maybe(draw, near(draw, as_of, 60), 0.5)
    reference = received or as_of
    from_state = draw(st.sampled_from(STATES))
    citizenships = draw(st.lists(st.sampled_from(STATES), max_size=3, unique=True))
    age = draw(st.sampled_from((13, 14, 17, 18, 30, 60)))
    birth = add_months(as_of, -12 * age) + timedelta(days=draw(st.sampled_from((-1, 0, 1))))
    if draw(st.booleans()) and draw(st.booleans()):
        birth = date(as_of.year - age - (as_of.year - age) % 4, 2, 29)  # a leap-day birthday
    person = {
        "birth_date": maybe(draw, birth.isoformat()),
        "citizenships": maybe(draw, citizenships, 0.15),
        "competent": maybe(draw, draw(st.booleans())),
        "years_in_sending_state": maybe(draw, draw(st.sampled_from((0, 3, 4.9, 5, 5.0, 12)))),
        "intends_to_remain": maybe(draw, draw(st.booleans())),
        "residence_country": maybe(draw, draw(st.sampled_from(STATES)), 0.5),
        "fled_to_state_of_nationality": maybe(draw, draw(st.booleans()), 0.5),
        "expulsion_order": maybe(draw, draw(st.booleans()), 0.5),
        "deportation_country": maybe(draw, draw(st.sampled_from(STATES)), 0.6),
        "lawful_permanent_resident": maybe(draw, draw(st.booleans()), 0.5),
        "member_of_designated_organisation": maybe(draw, draw(st.booleans()), 0.6),
    }
    document: dict[str, Any] = {
        "authority": draw(st.sampled_from((None, None, None, *AUTHORITY_IDS, "not-a-treaty"))),
        "from": from_state,
        "to": draw(st.sampled_from(STATES)),
        "as_of": as_of.isoformat(),
        "person": {k: v for k, v in person.items() if v is not None},
        "sentence": draw(sentences(reference)),
    }
    if received:
        document["request_received_on"] = received.isoformat()
    if draw(st.booleans()):
        document["consent"] = {
            "given_by": maybe(draw, draw(st.sampled_from(ENUMS["consent.given_by"]))),
            "verified_on": maybe(draw, near(draw, as_of, 1).isoformat()),
            "verified_by": maybe(draw, draw(st.sampled_from(ENUMS["consent.verified_by"]))),
            "opinion_recorded": maybe(draw, draw(st.booleans())),
        }
    if draw(st.booleans()):
        document["approvals"] = {
            key: maybe(draw, near(draw, as_of, 1).isoformat(), 0.3)
            for key in ("sending_state", "receiving_state", "us_state")
        }
    if draw(st.booleans()):
        designated = draw(st.lists(st.sampled_from(STATES), max_size=2, unique=True))
        document["removal_order"] = {
            "final": maybe(draw, draw(st.booleans())),
            "designated_countries": maybe(draw, designated),
            "destination_accepts": maybe(draw, draw(st.booleans()), 0.5),
            "assurances_relied_on": maybe(draw, draw(st.booleans()), 0.5),
            "assurances_found_reliable": maybe(draw, draw(st.booleans()), 0.5),
        }
    if draw(st.booleans()):
        served = draw(times(as_of))
        document["notice"] = {
            "served_at": maybe(draw, served, 0.15),
            "explains_how_to_contest": maybe(draw, draw(st.booleans())),
            "language_understood": maybe(draw, draw(st.booleans())),
            "country": maybe(draw, draw(st.sampled_from(STATES)), 0.5),
        }
        if draw(st.booleans()):
            hours = draw(st.sampled_from((23.5, 24, 24.01, 503, 504, 600)))
            departure = datetime.fromisoformat(served.replace("Z", "+00:00")) + timedelta(
                hours=hours
            )
            document["departure_at"] = departure.isoformat()
    if draw(st.booleans()):
        document["fear_claim"] = {
            "raised": maybe(draw, draw(st.booleans())),
            "outcome": maybe(draw, draw(st.sampled_from(ENUMS["fear_claim.outcome"])), 0.4),
            "country": maybe(draw, draw(st.sampled_from(STATES)), 0.5),
        }
    if draw(st.booleans()):
        document["protection_orders"] = [
            _entry(draw, as_of, "terminated_on", country=draw(st.sampled_from(STATES)))
            for _ in range(draw(st.integers(0, 2)))
        ]
    if draw(st.booleans()):
        document["holds"] = [
            _entry(draw, as_of, "lifted_on") for _ in range(draw(st.integers(0, 3)))
        ]
    if draw(st.booleans()):
        document["exceptions"] = [
            draw(exceptions(as_of, document["from"], document["to"], citizenships))
            for _ in range(draw(st.integers(0, 2)))
        ]
    if draw(st.booleans()):
        document["removal_authority"] = draw(
            st.sampled_from(
                ("us-removal", "us-third-country-removal", "aea-1798", "", "coe-ets-112")
            )
        )
    if document["authority"] is None:
        del document["authority"]
    return document


@st.composite
def exceptions(
    draw: st.DrawFn, as_of: date, from_state: str, to_state: str, citizenships: list[str]
) -> dict[str, Any]:
    """An exception agreed by both states, one of them, or others, on or around as_of."""
    # The other state of the movement: `to`, or (screened against all) a state of nationality.
    partner = draw(st.sampled_from([to_state, *citizenships]))
    states = [from_state, partner, draw(st.sampled_from(STATES))]
    by = draw(
        st.one_of(
            st.just([from_state, partner]),
            st.just([partner, from_state]),
            st.lists(st.sampled_from(states), min_size=1, max_size=3),
        )
    )
    exception: dict[str, Any] = {
        "ground": draw(st.one_of(st.just("REMAINING_SENTENCE"), st.sampled_from(GROUNDS))),
        "by": list(dict.fromkeys(by)),  # a state at most once (from and to may be the same)
        "agreed_on": near(draw, as_of, 2).isoformat(),
        "reason": maybe(draw, draw(st.sampled_from(("humanitarian", "family ties"))), 0.5),
    }
    return {k: v for k, v in exception.items() if v is not None}


def _favourable_inputs() -> list[dict[str, Any]]:
    """The scenario documents the law tests expect to be allowed."""
    found = []
    for scenario in load_scenarios(Path(__file__).parents[1] / "law" / "scenarios"):
        if scenario.expect.get("allowed") is True and not scenario.facts:
            found.append(scenario.input)
    return found


FAVOURABLE = _favourable_inputs()


def _leaves(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(tree, dict):
        return [leaf for key, value in tree.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(tree, list) and tree and isinstance(tree[0], dict):
        return [leaf for i, value in enumerate(tree) for leaf in _leaves(value, (*path, i))]
    return [(path, tree)]


def _set(tree: Any, path: tuple[Any, ...], value: Any, *, remove: bool = False) -> None:
    for key in path[:-1]:
        tree = tree[key]
    if remove:
        del tree[path[-1]]
    else:
        tree[path[-1]] = value


@st.composite
def near_favourable(draw: st.DrawFn) -> dict[str, Any]:
    """A document the law allows, nudged: a day earlier or later, a fact dropped or flipped."""
    document: dict[str, Any] = copy.deepcopy(draw(st.sampled_from(FAVOURABLE)))
    for _ in range(draw(st.integers(0, 2))):
        leaves = [
            leaf for leaf in _leaves(document) if leaf[0][0] not in ("authority", "from", "to")
        ]
        path, value = draw(st.sampled_from(leaves))
        if path == ("as_of",) or (isinstance(value, str) and len(value) == 10 and value[4] == "-"):
            shifted = date.fromisoformat(value) + timedelta(days=draw(st.sampled_from((-1, 1))))
            _set(document, path, shifted.isoformat())
        elif isinstance(value, bool):
            _set(document, path, not value)
        elif path != ("as_of",) and not (path[0] in GROUPS and path[-1] == "country"):
            _set(document, path, None, remove=True)
    if draw(st.integers(0, 3)) == 0:  # an exception on file (the nudge may have made it matter)
        citizenships = document.get("person", {}).get("citizenships") or []
        added = exceptions(
            date.fromisoformat(document["as_of"]), document["from"], document["to"], citizenships
        )
        document["exceptions"] = [*(document.get("exceptions") or []), draw(added)]
    try:  # a nudge may make the document invalid (lifted before issued): keep it valid
        parse_document(document)
    except InvalidDocument:
        document = copy.deepcopy(draw(st.sampled_from(FAVOURABLE)))
    if draw(st.booleans()):
        document.pop("authority")
    return document


def _entry(draw: st.DrawFn, as_of: date, ended: str, **fields: Any) -> dict[str, Any]:
    issued = near(draw, as_of, 3)
    entry: dict[str, Any] = {
        "kind": maybe(draw, draw(st.sampled_from(("tro", "stay", "withholding"))))
    }
    entry.update(fields)
    entry["issued_on"] = maybe(draw, issued.isoformat())
    entry[ended] = maybe(draw, (issued + timedelta(days=draw(st.integers(0, 4)))).isoformat(), 0.5)
    return {k: v for k, v in entry.items() if v is not None}


def csv_cells(document: dict[str, Any]) -> dict[str, str | None]:
    """A document as the dotted cells of a CSV roster (lists `;`-separated)."""
    cells: dict[str, str | None] = {}
    for name, kind in FIELDS.items():
        value: Any = document
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            cells[name] = None
        elif kind is Kind.COUNTRIES:
            cells[name] = ";".join(value)
        elif isinstance(value, bool):
            cells[name] = "true" if value else "false"
        else:
            cells[name] = str(value)
    for group, members in GROUPS.items():
        entries: list[dict[str, Any]] | None = document.get(group)
        for member, kind in members.items():
            # An empty cell is no entry at all: a member no entry has is left unknown (null).
            known = entries is not None and any(e.get(member) is not None for e in entries)
            cells[f"{group}.{member}"] = (
                ";".join(_member_cell(kind, e.get(member)) for e in entries)
                if entries is not None and (known or not entries)
                else None
            )
    return cells


def _member_cell(kind: Kind, value: Any) -> str:
    """One entry's part of a member's cell (a list of codes `+`-separated)."""
    if kind is Kind.COUNTRIES and value is not None:
        return "+".join(value)
    return str(value or "")
