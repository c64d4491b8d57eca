"""Jinja2 templates: one environment, autoescaped, with the few filters the pages share."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from repatria import __version__, i18n
from repatria.domain.access import Action, allowed
from repatria.domain.accounts import Principal, Role
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import assets, typed_dates, vocabulary
from repatria.entrypoints.web.event_names import event_name
from repatria.entrypoints.web.kept import FRESH
from repatria.entrypoints.web.security import csrf_token
from repatria.i18n import gettext as _

TEMPLATES = Path(__file__).parent / "templates"


def _moment(value: datetime | date | None) -> str:
    """A moment (or a day) in the reader's locale: 7 dic 2026 09:05 UTC."""
    if isinstance(value, datetime):
        return i18n.format_datetime(value)
    return i18n.format_date(value)


def _day(value: date | str | None) -> str:
    """A day in the reader's locale; text that is not an ISO date is shown as it is."""
    if not isinstance(value, str):
        return i18n.format_date(value)
    try:
        return i18n.format_date(date.fromisoformat(value))
    except ValueError:
        return value


def _in_english(value: object) -> Markup:
    return Markup('<span lang="en">{}</span>').format(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (built once)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Visible text is marked for translation: {{ _("…") }} or {% trans %}…{% endtrans %};
    # the translations of the request's language (repatria.i18n) fill it in.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.raw_gettext, i18n.raw_ngettext, newstyle=True
    )
    env.filters["words"] = vocabulary.words
    env.filters["subject"] = vocabulary.subject
    env.filters["event_name"] = event_name
    env.filters["moment"] = _moment
    env.filters["day"] = _day
    env.filters["money"] = i18n.format_money
    env.filters["number"] = i18n.format_number
    # Text defined (and marked with N_) in Python, translated where it is shown.
    env.filters["tr"] = i18n.raw_gettext
    # Text that exists in English only (a standard's name, law data without its Spanish),
    # said to be English so that readers and screen readers know.
    env.filters["in_english"] = _in_english
    # Capitalised as a sentence: Jinja's capitalize would lower "Estado receptor".
    env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    env.globals["role_name"] = vocabulary.role_name
    env.globals["language"] = i18n.current_language
    env.globals["languages"] = i18n.LANGUAGES
    env.globals["version"] = __version__
    env.globals["date_example"] = typed_dates.example
    env.globals["htmx"] = assets.htmx_available()
    return env


def nav_items(principal: Principal | None) -> list[tuple[str, str]]:
    """The main navigation for this user: (path, label)."""
    if principal is None:
        return [("/statistics", _("Statistics")), ("/law", _("Law"))]
    items = [("/dashboard", _("Dashboard")), ("/cases", _("Cases")), ("/people", _("People"))]
    items += [("/movements", _("Movements")), ("/law", _("Law"))]
    items += [("/facilities", _("Facilities")), ("/contracts", _("Contracts"))]
    items += [("/savings", _("Savings"))]
    if allowed(principal, Action.ASSESS):
        items.append(("/assessments/new", _("Assess")))
    if principal.role in (Role.AUDITOR, Role.ADMIN):
        items.append(("/record", _("Record")))
    if allowed(principal, Action.MANAGE_ACCOUNTS):
        items.append(("/admin", _("Admin")))
    items += [("/statistics", _("Statistics")), ("/account", _("Account"))]
    return items


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with the shared context: the user, the navigation and a CSRF token."""
    principal: Principal | None = getattr(request.state, "principal", None)
    secret: str = request.app.state.container.settings.secret_key
    seed: str = getattr(request.state, "csrf_seed", "")
    base = {
        "request": request,
        "principal": principal,
        "nav": nav_items(principal),
        "path": request.url.path,
        "csrf_token": csrf_token(secret, seed, request.cookies.get(SESSION_COOKIE)),
        "kept": FRESH,  # no form refused (refused_forms.form_back puts the refused one here)
    }
    html = environment().get_template(template).render({**base, **(context or {})})
    return HTMLResponse(html, status_code=status_code)
