"""Notice of removal: its content and language, and the time between notice and departure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repatria.law.document_parts import Notice
from repatria.law.rules.base import (
    Finding,
    RuleContext,
    check,
    failed,
    is_number,
    passed,
    unknown,
)

_REQUIREMENTS = {
    "language_understood": "in a language the person understands",
    "explains_how_to_contest": "explaining how to contest the removal and seek habeas",
    "names_destination": "naming the country of removal",
}


def _requirements(value: object) -> bool:
    return isinstance(value, list) and all(name in _REQUIREMENTS for name in value)


def _stated(notice: Notice, requirement: str) -> bool | None:
    """Whether the notice met a requirement: true, false, or None when not known."""
    if requirement == "names_destination":
        # A named country other than the destination fails before this; none named is unknown.
        return True if notice.country is not None else None
    value: bool | None = getattr(notice, requirement)
    return value


@check("notice-content", requires=_requirements)
def notice_content(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Written notice naming the destination and meeting each content requirement."""
    notice, to_state = ctx.document.notice, ctx.document.to_state
    if notice is None or notice.served_at is None:
        return unknown("no written notice on file")
    if notice.country is not None and notice.country != to_state:
        return failed(f"the notice names {notice.country}, not {to_state}")
    stated = {name: _stated(notice, name) for name in params["requires"]}
    missing = [_REQUIREMENTS[name] for name, value in stated.items() if value is False]
    if missing:
        return failed("the notice was not " + " nor ".join(missing))
    undecided = [_REQUIREMENTS[name] for name, value in stated.items() if value is None]
    if undecided:
        return unknown("not known whether the notice was " + " and ".join(undecided))
    return passed(f"written notice served {notice.served_at.isoformat()}")


@check("notice-in-time", hours=is_number)
def notice_in_time(ctx: RuleContext, params: Mapping[str, Any]) -> Finding:
    """Notice served at least the minimum number of hours before departure."""
    notice, departure, minimum = ctx.document.notice, ctx.document.departure_at, params["hours"]
    if notice is None or notice.served_at is None:
        return unknown(f"no notice on file; {minimum:g} hours' notice is needed before departure")
    if departure is None:
        return unknown(f"no departure time on file; {minimum:g} hours' notice is needed")
    hours = (departure - notice.served_at).total_seconds() / 3600
    if hours < minimum:
        return failed(f"notice {hours:g} hours before departure; the minimum is {minimum:g} hours")
    return passed(f"notice {hours:g} hours before departure; the minimum is {minimum:g} hours")
