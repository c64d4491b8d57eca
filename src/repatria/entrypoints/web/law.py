"""The law browser: each authority, its parties and dates, its rules with citations."""

from __future__ import annotations

from fastapi import Request, Response

from repatria.domain.errors import NotFound
from repatria.entrypoints.web.deps import MaybeUser, Uow
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.i18n import format_date
from repatria.i18n import gettext as _
from repatria.law.review import caveats
from repatria.law.schema import Authority
from repatria.services import law_in_force

router = web_router()


def completeness(authority: Authority) -> str:
    """Plain words, in the reader's language, for whether the party list is complete."""
    listed = authority.party_list
    if authority.kind == "custody":
        return _("agreements listed")
    if listed is None:
        return _("not known to be complete")
    if listed.complete and listed.as_of:
        return _("complete as of %(day)s", day=format_date(listed.as_of))
    return _("complete") if listed.complete else _("not complete")


@router.get("/law")
def authorities(request: Request, uow: Uow, _: MaybeUser) -> Response:
    """Every authority the engine knows, with its kind and parties, as in force today (the
    shipped law, local amendments and those approved in the application)."""
    catalog = law_in_force.catalog_of(uow)
    found = list(catalog.authorities.values())
    context = {
        "authorities": found,
        "digest": catalog.digest,
        "completeness": {a.id: completeness(a) for a in found},
        "unverified": {a.id: sum(not c.verified for c in caveats(catalog, a)) for a in found},
    }
    return render(request, "law/list.html", context)


@router.get("/law/{authority_id}")
def authority(request: Request, authority_id: str, uow: Uow, _: MaybeUser) -> Response:
    """One authority: parties and dates, agreements, rules and parameters with citations."""
    catalog = law_in_force.catalog_of(uow)
    found = catalog.authorities.get(authority_id)
    if found is None:
        raise NotFound("authority", authority_id)
    context = {
        "authority": found,
        "rules": catalog.rules_for(authority_id),
        "sources": catalog.rule_sources(found),
        "file": catalog.files.get(authority_id, ""),
        "completeness": completeness(found),
        "digest": catalog.digest,
    }
    return render(request, "law/detail.html", context)
