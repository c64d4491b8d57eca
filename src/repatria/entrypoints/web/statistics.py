"""Public statistics: aggregated counts with small counts suppressed; no login needed."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import Request, Response

from repatria.csv_export import csv_text
from repatria.entrypoints.api import csv_headers
from repatria.entrypoints.api.csv_headers import Header
from repatria.entrypoints.web import charts
from repatria.entrypoints.web.deps import MaybeUser, Uow
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.security import SVG_POLICY
from repatria.i18n import N_
from repatria.i18n import gettext as _
from repatria.services import views

router = web_router()
# Counts under this are shown as "<5", so that no one can be singled out.
SUPPRESS_BELOW = 5
MEASURES = {
    "moved": N_("People moved (cases completed or delivered), by the year they arrived"),
    "opened": N_("Cases opened, by year"),
    "held": N_("People placed in a facility under a custody agreement, by the year they arrived"),
}
COLUMNS = ("measure", "year", "authority", "from_state", "to_state", "count")


def shown(count: int) -> str:
    """A count as published: '<5' below the threshold."""
    return f"<{SUPPRESS_BELOW}" if count < SUPPRESS_BELOW else str(count)


def published_rows(uow: Any) -> list[dict[str, Any]]:
    """The public rows, each count already suppressed where small (no totals are given, so
    a suppressed cell cannot be worked out by subtraction)."""
    return [{**row, "count": shown(row["count"])} for row in views.public_counts(uow)]


@router.get("/statistics")
def statistics_page(request: Request, uow: Uow, principal: MaybeUser) -> Response:
    """Counts by year, authority and pair of states, with small counts shown as <5."""
    rows = published_rows(uow)
    tables = {m: [r for r in rows if r["measure"] == m] for m in MEASURES}
    measures = {measure: _(title) for measure, title in MEASURES.items()}
    context = {"tables": tables, "measures": measures, "threshold": SUPPRESS_BELOW}
    response = render(request, "statistics/index.html", context)
    if principal is None:  # a signed-in page carries the user's name and CSRF token
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


@router.get("/statistics.csv")
def statistics_csv(uow: Uow, header: Header = "names") -> Response:
    """The same counts as CSV (UTF-8, one header line: the columns' names, or with
    ?header=words the reader's words, as the page links it)."""
    worded = csv_headers.titles(COLUMNS, header)
    text = csv_text(COLUMNS, published_rows(uow), lineterminator="\n", titles=worded)
    headers = {
        "Content-Disposition": 'attachment; filename="repatria-statistics.csv"',
        "Cache-Control": "public, max-age=300",
    }
    if worded is not None:  # the words depend on the reader's language
        headers["Vary"] = "Accept-Language, Cookie"
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/statistics/transfers.svg")
def transfers_chart(uow: Uow) -> Response:
    """People moved per year, stacked by authority and destination; cells under the
    threshold are left out of the chart as they are suppressed in the table."""
    series: dict[str, dict[str, float]] = defaultdict(dict)
    years: set[str] = set()
    for row in views.public_counts(uow):
        if row["measure"] != "moved" or row["count"] < SUPPRESS_BELOW:
            continue
        year = str(row["year"])
        years.add(year)
        series[f"{row['authority']} → {row['to_state']}"][year] = row["count"]
    svg = charts.stacked_bars(
        _("People moved per year, by authority and destination"),
        sorted(years),
        dict(series),
        _("people"),
        empty_note=_("no published count yet (counts under %(n)s are not drawn)", n=SUPPRESS_BELOW),
    )
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={"Content-Security-Policy": SVG_POLICY, "Cache-Control": "public, max-age=300"},
    )
