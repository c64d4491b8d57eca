"""People pages: the list, one person with their legal facts and cases, and the forms to
record a person, a court hold or a protection order."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.accounts import Role
from repatria.domain.people import HoldKind, OffenseCategory, ProtectionKind
from repatria.entrypoints.web.deps import PAGE_SIZE, Page, RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, given
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.typed_dates import as_iso
from repatria.law import AUTHORITY_IDS
from repatria.services import cases, people, safeguards
from repatria.services.commands import HoldIn, ProtectionOrderIn, RecordPerson, UpdatePerson

router = web_router()


@router.get("/people")
def people_list(
    request: Request,
    uow: Uow,
    principal: User,
    page: Page = 1,
    name: Annotated[str, Query(max_length=100)] = "",
    citizenship: Annotated[str, Query(max_length=2)] = "",
) -> Response:
    """People the user's state holds or has a case about."""
    return render(
        request, "people/list.html", _list_context(uow, principal, page, name, citizenship)
    )


def _list_context(
    uow: Uow, principal: User, page: int, name: str, citizenship: str
) -> dict[str, Any]:
    clean_name = "".join(ch for ch in name if ch.isprintable()).strip()
    country = citizenship.upper() if citizenship.isalpha() else ""
    found = people.list_people(
        uow,
        principal,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        name=clean_name or None,
        citizenship=country or None,
    )
    query = urlencode([(k, v) for k, v in (("name", clean_name), ("citizenship", country)) if v])
    context = {
        "page": found,
        "number": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "filters": {"name": clean_name, "citizenship": country},
        "query": query,
        "may_record": principal.role is Role.CASE_OFFICER,
        "categories": list(OffenseCategory),
    }
    return context


# The command's fields as the form names them (a refusal's reason goes beside its field).
PERSON_FIELDS = {
    "citizenships.0.country": "citizenship",
    "citizenships": "citizenship",
    "identifiers.0.scheme": "identifier_scheme",
    "identifiers.0.value": "identifier_value",
    "identifiers": "identifier_value",
    "sentences.0.offense": "offense",
    "sentences.0.offense_category": "offense_category",
    "sentences.0.start_date": "sentence_start",
    "sentences.0.length_days": "sentence_days",
}


@router.get("/people/{person_id}")
def person_detail(request: Request, person_id: RecordId, uow: Uow, principal: User) -> Response:
    """One person: nationality, identifiers, sentences, orders, holds and cases."""
    return render(request, *person_page(uow, principal, person_id))


def person_page(uow: Uow, principal: User, person_id: int) -> tuple[str, dict[str, Any]]:
    """The person page's template and context (a refused form shows it again, as typed)."""
    person = people.get_or_raise(uow, principal, person_id)
    their_cases = cases.list_cases(uow, principal, limit=100, offset=0, person_id=person_id)
    holding_officer = (
        principal.role is Role.CASE_OFFICER and principal.state == person.held_by_state
    )
    context = {
        "person": person,
        "cases": their_cases.items,
        "holding_officer": holding_officer,
        "authorities": sorted(AUTHORITY_IDS),
        "hold_kinds": list(HoldKind),
        "protection_kinds": list(ProtectionKind),
    }
    return "people/detail.html", context


@router.post("/people")
def record_person(
    request: Request,
    uow: Uow,
    principal: User,
    family_name: Short,
    given_names: Short,
    citizenship: Short,
    birth_date: Short = "",
    identifier_scheme: Short = "",
    identifier_value: Short = "",
    offense: Short = "",
    offense_category: Short = "",
    sentence_start: Short = "",
    sentence_days: Short = "",
) -> Response:
    """Record a person held by the user's state, with one nationality and one sentence."""
    body: dict[str, Any] = {
        "family_name": family_name,
        "given_names": given_names,
        "held_by_state": principal.state,
        "citizenships": [{"country": citizenship}],
        **given(birth_date=as_iso(birth_date)),
    }
    if identifier_scheme.strip() and identifier_value.strip():
        body["identifiers"] = [{"scheme": identifier_scheme, "value": identifier_value}]
    if offense.strip():
        body["sentences"] = [
            {
                "offense": offense,
                "offense_category": offense_category,
                "jurisdiction": principal.state,
                "start_date": as_iso(sentence_start),
                **given(length_days=sentence_days),
            }
        ]
    try:
        person = people.record(uow, principal, RecordPerson.model_validate(body))
    except KEPT as refused:
        typed = {
            "family_name": family_name,
            "given_names": given_names,
            "citizenship": citizenship,
            "birth_date": birth_date,
            "identifier_scheme": identifier_scheme,
            "identifier_value": identifier_value,
            "offense": offense,
            "offense_category": offense_category,
            "sentence_start": sentence_start,
            "sentence_days": sentence_days,
        }
        page = lambda: ("people/list.html", _list_context(uow, principal, 1, "", ""))  # noqa: E731
        return form_back(
            request,
            uow,
            refused,
            form="person",
            typed=typed,
            page=page,
            dates=("birth_date", "sentence_start"),
            aliases=PERSON_FIELDS,
        )
    uow.commit()
    return RedirectResponse(f"/people/{person.id}", status_code=303)


@router.post("/people/{person_id}/holds")
def add_hold(
    request: Request,
    person_id: RecordId,
    uow: Uow,
    principal: User,
    kind: Short,
    issued_on: Short,
    court: Short = "",
    reference: Short = "",
) -> Response:
    """Record a court hold: every open case of the person stops at once."""
    typed = {"kind": kind, "issued_on": issued_on, "court": court, "reference": reference}
    try:
        command = HoldIn.model_validate({**typed, "issued_on": as_iso(issued_on)})
        safeguards.add_hold(uow, principal, person_id, command)
    except KEPT as refused:
        page = lambda: person_page(uow, principal, person_id)  # noqa: E731
        return form_back(
            request, uow, refused, form="hold", typed=typed, page=page, dates=("issued_on",)
        )
    uow.commit()
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@router.post("/people/{person_id}/protection-orders")
def add_protection_order(
    request: Request,
    person_id: RecordId,
    uow: Uow,
    principal: User,
    kind: Short,
    country: Short,
    issued_on: Short,
    issued_by: Short = "",
) -> Response:
    """Record a withholding or CAT order: every open case to that country stops at once."""
    typed = {"kind": kind, "country": country, "issued_on": issued_on, "issued_by": issued_by}
    try:
        command = ProtectionOrderIn.model_validate({**typed, "issued_on": as_iso(issued_on)})
        safeguards.add_protection_order(uow, principal, person_id, command)
    except KEPT as refused:
        page = lambda: person_page(uow, principal, person_id)  # noqa: E731
        return form_back(
            request, uow, refused, form="protection", typed=typed, page=page, dates=("issued_on",)
        )
    uow.commit()
    return RedirectResponse(f"/people/{person_id}", status_code=303)


@router.post("/people/{person_id}")
def correct_person(
    request: Request,
    person_id: RecordId,
    uow: Uow,
    principal: User,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    family_name: Short,
    given_names: Short,
    birth_date: Short = "",
) -> Response:
    """Correct identity facts; refused (409) if someone changed the person meanwhile, the
    form coming back as typed."""
    typed = {"family_name": family_name, "given_names": given_names, "birth_date": birth_date}
    try:
        command = UpdatePerson.model_validate(
            {
                "version": version,
                "family_name": family_name,
                "given_names": given_names,
                "birth_date": as_iso(birth_date) or None,
            }
        )
        people.update(uow, principal, person_id, command)
    except KEPT as refused:
        page = lambda: person_page(uow, principal, person_id)  # noqa: E731
        return form_back(
            request, uow, refused, form="correct", typed=typed, page=page, dates=("birth_date",)
        )
    uow.commit()
    return RedirectResponse(f"/people/{person_id}", status_code=303)
