"""The header line of a CSV export: the columns' stable names, or the reader's words.

API clients read the columns by their names (`person_id`, `amount`), so a CSV answers with
them unless asked otherwise; the pages link to each export with `?header=words`, which names
the columns in the reader's language (Accept-Language, the header switch, the user's choice).
The cells are the same either way: codes and ISO dates, as the API gives them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import Query

from repatria.i18n import N_, gettext

Header = Annotated[
    Literal["names", "words"],
    Query(
        description=(
            "names: the columns' stable names (the default, for programs); words: the "
            "columns named in the reader's language (Accept-Language), for people"
        )
    ),
]

TITLES = {
    # public statistics
    "measure": N_("Measure"),
    "year": N_("Year"),
    "authority": N_("Authority"),
    "from_state": N_("From"),
    "to_state": N_("To"),
    "count": N_("Count"),
    # invoices
    "contract": N_("Contract"),
    "month": N_("Month"),
    "item": N_("Item"),
    "person_id": N_("Person"),
    "days": N_("Days held"),
    "amount": N_("Amount"),
    "currency": N_("Currency"),
    # manifests
    "movement": N_("Movement"),
    "case": N_("Case"),
    "family_name": N_("Family name"),
    "given_names": N_("Given names"),
    "birth_date": N_("Date of birth"),
    "status": N_("Status"),
    "removed_reason": N_("Why taken off"),
    "legal_basis": N_("Legal basis"),
    # savings
    "release_on": N_("Release date"),
    "years_left": N_("Years left"),
    "fiscal_year": N_("Fiscal year"),
    "annual_rate": N_("Yearly cost"),
    "savings": N_("Savings"),
    "note": N_("Note"),
}


def titles(columns: Sequence[str], header: str) -> dict[str, str] | None:
    """The header's words for `columns` in the current language, or None for the names."""
    if header != "words":
        return None
    return {name: gettext(TITLES[name]) if name in TITLES else name for name in columns}
