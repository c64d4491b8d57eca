"""The document a case gives the legal engine: what its records say, and nothing more."""

from __future__ import annotations

from datetime import UTC, date, datetime

from repatria.domain.cases import Case, CaseState
from repatria.domain.people import Person
from repatria.domain.workflow import Notice
from repatria.law.document import parse_document
from repatria.law.engine import assess
from repatria.services.case_documents import CaseRecords, build_document

AS_OF = date(2025, 4, 11)
NOW = datetime(2025, 4, 10, 9, 0, tzinfo=UTC)


def _records(*notices: Notice) -> CaseRecords:
    case = Case(
        person_id=1,
        authority="us-third-country-removal",
        from_state="US",
        to_state="SV",
        state=CaseState.NOTICE_SERVED,
        opened_by=None,
        opened_at=NOW,
        updated_at=NOW,
        id=7,
    )
    person = Person("Rivas", "Tomás", date(1990, 5, 5), "US", NOW, NOW, id=1)
    return CaseRecords(case=case, person=person, notices=list(notices))


def _notice_check(records: CaseRecords) -> str:
    verdict = assess(parse_document(build_document(records, AS_OF)))
    return next(c.outcome for c in verdict.checks if c.rule.endswith("/notice-content"))


def test_a_notice_naming_the_third_country_meets_the_content_rule() -> None:
    notice = Notice(
        case_id=7,
        served_at=NOW,
        language_understood=True,
        explains_how_to_contest=True,
        country="SV",
    )
    assert build_document(_records(notice), AS_OF)["notice"]["country"] == "SV"
    assert _notice_check(_records(notice)) == "pass"


def test_a_notice_recorded_without_its_country_leaves_the_content_rule_unknown() -> None:
    notice = Notice(
        case_id=7, served_at=NOW, language_understood=True, explains_how_to_contest=True
    )
    assert _notice_check(_records(notice)) == "unknown"


def test_a_notice_naming_another_country_fails_the_content_rule() -> None:
    notice = Notice(
        case_id=7,
        served_at=NOW,
        language_understood=True,
        explains_how_to_contest=True,
        country="HN",
    )
    assert _notice_check(_records(notice)) == "fail"
