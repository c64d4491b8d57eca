"""Why a case has not passed its legal gates, in a sentence with the citations: the checks of
its assessment today that fail (a protection order, a hold), or, failing none, that are still
unknown."""

from __future__ import annotations

from repatria.domain.cases import Case
from repatria.i18n import current_language
from repatria.i18n import gettext as _
from repatria.law.engine import assess
from repatria.law.errors import LawDataError
from repatria.services import assessments, case_documents, clock, law_in_force
from repatria.services.case_documents import build_document
from repatria.services.unit_of_work import UnitOfWork


def why_not_passed(uow: UnitOfWork, case: Case) -> str:
    """The failing checks of the case's assessment today, each reason with its citation (else
    the grounds still unknown); "" when none, or when the law cannot be read."""
    try:
        document = build_document(case_documents.load_records(uow, case), clock.today())
        seen = assessments.foresee(uow, document, case_id=case.id)
        verdict = seen.verdict
        if current_language() != "en":  # the same verdict, its reasons in the reader's words
            catalog = law_in_force.catalog_of(uow)
            spanish = assess(seen.parsed, seen.facts, catalog, language="es").to_json()
            verdict = assessments.worded(verdict, spanish)
    except LawDataError:
        return ""
    checks = verdict.get("checks", [])
    failing = [c for c in checks if c["outcome"] == "fail"]
    if failing:
        return "; ".join(f"{c['reason']} ({str(c['citation']).split('; ')[0]})" for c in failing)
    unknown = dict.fromkeys(
        str(c["ground"]).lower().replace("_", " ") for c in checks if c["outcome"] == "unknown"
    )
    return _("not yet known: %(grounds)s", grounds=", ".join(unknown)) if unknown else ""
