"""A month's invoice of a custody contract as a PDF: each person by name with the days held
and what they cost, the lump sum if one falls due, and the total."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Path, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.errors import InvalidInput
from repatria.entrypoints.web import pdf
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.facilities import contract_page
from repatria.entrypoints.web.forms import Short
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.typed_dates import as_iso
from repatria.i18n import N_, format_date, format_money
from repatria.i18n import gettext as _
from repatria.services import contracts, invoice_payments, views
from repatria.services.invoice_payments import RecordPayment

router = web_router()


Month = Annotated[str, Path(pattern=r"^\d{4}-\d{2}$")]


def _first_day(month: str) -> date:
    try:
        return date.fromisoformat(f"{month}-01")
    except ValueError:
        raise InvalidInput(
            "month", N_("%(text)s is not a month written YYYY-MM"), text=repr(month)
        ) from None


@router.post("/contracts/{contract_id}/invoices/{month}/payment")
def record_payment(
    request: Request,
    contract_id: RecordId,
    month: Month,
    uow: Uow,
    principal: User,
    paid_on: Short,
    reference: Short,
) -> Response:
    """Mark a month's invoice paid (the paying state's finance officers); refused, the
    contract's page comes back with the payment as typed."""
    first = _first_day(month)
    typed = {"paid_on": paid_on, "reference": reference}
    try:
        command = RecordPayment.model_validate({"paid_on": as_iso(paid_on), "reference": reference})
        invoice_payments.record(uow, principal, contract_id, first, command)
    except KEPT as refused:
        page = lambda: contract_page(uow, principal, contract_id)  # noqa: E731
        form = f"pay-{first:%Y-%m}"
        return form_back(
            request, uow, refused, form=form, typed=typed, page=page, dates=("paid_on",)
        )
    uow.commit()
    return RedirectResponse(f"/contracts/{contract_id}?done=paid", status_code=303)


@router.get("/contracts/{contract_id}/invoices/{month}.pdf")
def invoice_pdf(
    contract_id: RecordId,
    month: Month,
    uow: Uow,
    principal: User,
) -> Response:
    """The month's invoice (YYYY-MM), with names and whether it was paid, for the contract's
    two states."""
    first = _first_day(month)
    contract, bill = contracts.invoice(uow, principal, contract_id, first)
    payment = invoice_payments.paid(uow, contract_id).get(first)
    status = (
        _(
            "paid on %(day)s (%(reference)s)",
            day=format_date(payment.paid_on, "long"),
            reference=payment.reference,
        )
        if payment
        else _("not recorded as paid")
    )
    ids = {int(line.person_id) for line in bill.lines if line.person_id.isdigit()}
    people = views.people_named(uow, ids)

    def name(person_id: str) -> str:
        person = people.get(int(person_id)) if person_id.isdigit() else None
        return f"{person.family_name}, {person.given_names}" if person else person_id

    rows: list[list[Any]] = [
        [name(line.person_id), line.days, format_money(line.amount, bill.currency)]
        for line in sorted(bill.lines, key=lambda line: name(line.person_id))
    ]
    body: list[Any] = [
        pdf.facts(
            [
                (_("Contract"), contract.reference),
                (_("Payer → host"), f"{contract.payer_state} → {contract.host_state}"),
                (_("Month"), format_date(first, "MMMM y")),
                (_("Fee"), f"{format_money(contract.fee, contract.currency)}"),
                (_("Person-days"), bill.person_days),
                (_("Lump sum"), format_money(bill.lump_sum, bill.currency)),
                (_("Total"), format_money(bill.total, bill.currency)),
                (_("Payment"), status),
            ]
        ),
        pdf.heading(_("People held")),
        pdf.grid(
            (_("Name"), _("Days held"), _("Amount")),
            rows or [[_("Nobody was held this month."), "", ""]],
            pdf.mm_widths(110, 30, 40),
        ),
    ]
    content = pdf.build(
        _("Invoice %(month)s, contract %(reference)s", month=month, reference=contract.reference),
        _("Custody contract invoice"),
        body,
    )
    filename = f"invoice-{contract.reference}-{month}.pdf"
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
