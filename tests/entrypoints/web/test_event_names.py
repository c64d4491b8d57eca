"""Every event the services record is said in words, in English and in Spanish; the record's
own pages keep the code beside the words for the auditor who filters and cites it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from repatria.domain.lifecycle import REMOVAL, TREATY
from repatria.domain.movements import MOVEMENT_STEPS
from repatria.entrypoints.web.event_names import EVENTS, event_name
from repatria.i18n import use_locale
from repatria.services.transitions import _event_name

SERVICES = Path(__file__).resolve().parents[3] / "src/repatria/services"
# A name written as an event is (CamelCase, two words or more); the services' other such
# strings are the names of things, not of events.
CAMEL = re.compile(r'"((?:[A-Z][a-z]+){2,})"')
NOT_EVENTS = {"EventLine", "EventMark", "PublicCount", "CheckpointView", "BodyText"}


def _recorded_by_the_services() -> set[str]:
    named = {m for p in SERVICES.rglob("*.py") for m in CAMEL.findall(p.read_text())}
    steps = {_event_name(t.command) for t in (*TREATY, *REMOVAL)}
    moves = {f"Movement{c.title().replace('_', '')}" for c in MOVEMENT_STEPS}
    fragments = {name for name in named if f"Case{name}" in steps}  # _event_name's parts
    return (named - NOT_EVENTS - fragments) | steps | moves


def test_every_event_the_services_record_has_words() -> None:
    assert _recorded_by_the_services() - set(EVENTS) == set()


def test_an_event_is_said_in_english_and_in_spanish() -> None:
    with use_locale("en_US"):
        english = event_name("CaseApprovedBySendingState")
    with use_locale("es_MX"):
        spanish = event_name("CaseApprovedBySendingState")
    assert (english, spanish) == (
        "approved by the sending state",
        "aprobado por el Estado trasladante",
    )


def test_an_event_of_a_later_version_is_its_code_in_words() -> None:
    assert event_name("CaseSentToTheMoon") == "case sent to the moon"


def test_the_timeline_says_events_in_words_and_the_record_keeps_the_code(
    browser_for: Callable[[str | None], TestClient],
) -> None:
    auditor = browser_for("mx-auditor")
    spanish = {"Accept-Language": "es-MX"}
    events = auditor.get("/record/events", headers=spanish).text
    assert "<code>OpenCase</code>" in events and "Expediente abierto" in events
    case = re.search(r'href="(/cases/\d+)#event-', events)
    assert case is not None
    timeline = auditor.get(case.group(1), headers=spanish).text
    assert "<strong>Expediente abierto</strong>" in timeline
    assert "<strong>OpenCase</strong>" not in timeline
