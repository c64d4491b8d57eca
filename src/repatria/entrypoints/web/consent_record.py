"""The consent verification record, in Spanish beside English (issue 20): the person who
consents must understand what they consent to, and the officials of both states read it.

Every label and sentence is the catalog's text, rendered once in each language; the values
(names, the recording's reference) are written as recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle

from repatria.entrypoints.web import pdf
from repatria.entrypoints.web.vocabulary import words
from repatria.i18n import N_, format_date, gettext, use_locale

# The two columns, left to right: the person's language first.
LOCALES = ("es_MX", "en_US")
ADVISEMENTS = {
    "only_us_courts_may_modify_or_set_aside": N_(
        "Only US courts may modify or set aside the conviction or sentence (18 U.S.C. § 4107(b)(1))"
    ),
    "sentence_carried_out_under_receiving_law": N_(
        "The sentence will be carried out under the receiving state's law (§ 4107(b)(2))"
    ),
    "may_be_returned_if_transfer_found_unlawful": N_(
        "The person may be returned if the transfer is found unlawful (§ 4107(b)(3))"
    ),
    "consent_once_verified_is_irrevocable": N_(
        "Consent, once verified, is irrevocable (§ 4107(b)(4))"
    ),
}


def each(say: Callable[[], object]) -> list[str]:
    """What `say` says in each language of the record, Spanish first."""
    said = []
    for locale in LOCALES:
        with use_locale(locale):
            said.append(str(say()))
    return said


def side_by_side(rows: Sequence[Callable[[], tuple[str, object]]]) -> Table:
    """Label: value rows, the Spanish in the left column and the English in the right."""
    data = []
    for row in rows:
        cells = []
        for locale in LOCALES:
            with use_locale(locale):
                label, value = row()
            cells.append(pdf.text(f"{label}: {value}", "cell"))
        data.append(cells)
    table = Table(data, colWidths=pdf.mm_widths(90, 90))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def heading(say: Callable[[], str]) -> Flowable:
    """A heading in both languages, Spanish first."""
    return pdf.heading(" / ".join(each(say)))


def _yes(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def _advisement(name: str, given: bool) -> Callable[[], tuple[str, object]]:
    def row() -> tuple[str, object]:
        told = gettext(ADVISEMENTS[name]) if name in ADVISEMENTS else name
        return told, gettext("given") if given else gettext("NOT GIVEN")

    return row


def hearing_section(hearing: Any, recorded_by: str) -> list[Flowable]:
    """One hearing: who verified, how, the answer, and each advisement given or not."""
    day = hearing.verified_on
    facts = side_by_side(
        [
            lambda: (gettext("Verifying officer"), hearing.verifier_name),
            lambda: (gettext("Capacity"), words(hearing.verifier_role)),
            lambda: (gettext("Counsel"), words(hearing.counsel)),
            lambda: (gettext("Consent given by"), words(hearing.given_by)),
            lambda: (
                gettext("Answer"),
                gettext("consents") if hearing.consents else gettext("does not consent"),
            ),
            lambda: (gettext("Opinion recorded"), _yes(hearing.opinion_recorded)),
            lambda: (gettext("Recording reference"), hearing.recording_reference),
            lambda: (gettext("Language of the hearing"), hearing.language or "—"),
            lambda: (gettext("Interpreter"), hearing.interpreter or gettext("none")),
            lambda: (gettext("Recorded by"), recorded_by),
        ]
    )
    advised = side_by_side(
        [_advisement(name, given) for name, given in sorted(hearing.advisements.items())]
    )
    parts: list[Flowable] = [
        heading(lambda: gettext("Hearing of %(day)s", day=format_date(day, "long"))),
        facts,
        heading(lambda: gettext("Advisements (18 U.S.C. § 4107(b))")),
        advised,
    ]
    missing = hearing.missing_advisements()
    if missing:
        names = [ADVISEMENTS.get(name, name) for name in missing]
        parts.append(
            side_by_side(
                [
                    lambda: (
                        gettext("Advisements not recorded as given"),
                        "; ".join(gettext(n) for n in names),
                    )
                ]
            )
        )
    return parts


def title_of(reference: str) -> str:
    """The record's title in both languages."""
    return " / ".join(
        each(lambda: gettext("Consent verification record %(reference)s", reference=reference))
    )


def subtitle() -> str:
    """What the record is, in both languages."""
    return " / ".join(
        each(lambda: gettext("18 U.S.C. §§ 4107-4109: verification of consent to transfer"))
    )
