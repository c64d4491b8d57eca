"""Jinja2 templates: one environment, autoescaped, with the few filters the pages share."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from repatria import __version__
from repatria.domain.access import Action, allowed
from repatria.domain.accounts import Principal, Role
from repatria.entrypoints.api.deps import SESSION_COOKIE
from repatria.entrypoints.web import assets
from repatria.entrypoints.web.security import csrf_token

TEMPLATES = Path(__file__).parent / "templates"
ROLE_NAMES = {
    Role.CASE_OFFICER: "case officer",
    Role.REVIEWER: "reviewing official",
    Role.VERIFIER: "consent verifier",
    Role.FACILITY_ADMIN: "facility administrator",
    Role.FINANCE: "finance officer",
    Role.AUDITOR: "auditor",
    Role.ADMIN: "administrator",
}


def _words(value: object) -> str:
    """snake_case to words: sending_review → sending review."""
    return str(getattr(value, "value", value)).replace("_", " ")


def _moment(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


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
    # Visible text is marked for translation: {{ _("…") }} or {% trans %}…{% endtrans %}.
    # Until the catalogs land the marked text is shown as written (issue 20).
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["words"] = _words
    env.filters["moment"] = _moment
    env.globals["role_name"] = lambda role: ROLE_NAMES.get(Role(role), str(role))
    env.globals["version"] = __version__
    env.globals["htmx"] = assets.htmx_available()
    return env


def nav_items(principal: Principal | None) -> list[tuple[str, str]]:
    """The main navigation for this user: (path, label)."""
    if principal is None:
        return [("/statistics", "Statistics"), ("/law", "Law")]
    items = [("/dashboard", "Dashboard"), ("/cases", "Cases"), ("/people", "People")]
    items += [("/movements", "Movements"), ("/law", "Law")]
    items += [("/facilities", "Facilities"), ("/contracts", "Contracts"), ("/savings", "Savings")]
    if allowed(principal, Action.ASSESS):
        items.append(("/assessments/new", "Assess"))
    if principal.role in (Role.AUDITOR, Role.ADMIN):
        items.append(("/record", "Record"))
    if allowed(principal, Action.MANAGE_ACCOUNTS):
        items.append(("/admin", "Admin"))
    items += [("/statistics", "Statistics"), ("/account", "Account")]
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
    }
    html = environment().get_template(template).render({**base, **(context or {})})
    return HTMLResponse(html, status_code=status_code)
