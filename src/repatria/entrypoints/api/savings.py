"""The savings of a movement, person by person, at the sending state's rate (JSON and CSV)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from repatria.csv_export import csv_text
from repatria.entrypoints.api import csv_headers
from repatria.entrypoints.api.csv_headers import Header
from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.responses import CSV
from repatria.services import savings
from repatria.services.savings import MovementSavings

router = APIRouter(tags=["money"])


def savings_json(report: MovementSavings) -> dict[str, Any]:
    rate = report.rate
    return {
        "movement_id": report.movement.id,
        "movement": report.movement.label,
        "on": report.on.isoformat(),
        "rate": {
            "jurisdiction": rate.jurisdiction,
            "fiscal_year": rate.fiscal_year,
            "annual": str(rate.annual),
            "daily": None if rate.daily is None else str(rate.daily),
            "in_force_from": rate.effective.isoformat(),
            "citation": rate.citation,
            "url": rate.url,
            "verified": rate.verified,
        },
        "people": [
            {
                "case": p.case.reference,
                "case_id": p.case.id,
                "person_id": p.person.id,
                "release_on": p.release_on.isoformat() if p.release_on else None,
                "years_left": None if p.years_left is None else f"{p.years_left:.4f}",
                "savings": str(p.savings),
                "note": p.note,
            }
            for p in report.people
        ],
        "combined_years": f"{report.combined_years:.4f}",
        "total": str(report.total),
        "currency": rate.currency,
    }


@router.get(
    "/movements/{movement_id}/savings.csv",
    summary="A movement's savings as CSV",
    response_class=Response,
    responses=CSV,
)
def savings_csv(
    movement_id: RecordId, principal: CurrentPrincipal, uow: Uow, header: Header = "names"
) -> Response:
    """The savings as CSV: a line per person aboard, then the total (its header in the
    reader's words with ?header=words)."""
    report = savings.of_movement(uow, principal, movement_id)
    filename = f"savings-{report.movement.authority}-{report.movement.sequence}.csv"
    return Response(
        csv_text(
            savings.SAVINGS_COLUMNS,
            savings.rows(report),
            titles=csv_headers.titles(savings.SAVINGS_COLUMNS, header),
        ),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/movements/{movement_id}/savings", summary="A movement's savings")
def movement_savings(movement_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """Each person's years left times the sending state's yearly cost in force on the date."""
    return savings_json(savings.of_movement(uow, principal, movement_id))
