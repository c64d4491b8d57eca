"""Where a case stands, in one sentence, and who acts next: the case's forward step (not a
side exit), whether the law lets it be taken now, and what is still missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from repatria.domain.cases import Case
from repatria.domain.lifecycle import Transition, available
from repatria.domain.transitions import acting_states, blocking_checks
from repatria.entrypoints.web.plain_words import grounds_in_words
from repatria.entrypoints.web.vocabulary import words
from repatria.i18n import N_
from repatria.i18n import gettext as _
from repatria.services.views import SIDE_EXITS

# What taking the forward step does to the case ("May <phrase>").
PHRASES = {
    "submit": N_("be submitted for screening"),
    "screen": N_("pass screening and go to the sending state's review"),
    "reopen": N_("be reopened for screening once the facts are corrected"),
    "approve_sending": N_("be approved by the sending state"),
    "approve_receiving": N_("be approved by the receiving state"),
    "verify_consent": N_("have the person's consent verified at a hearing"),
    "schedule": N_("be placed on a movement"),
    "depart": N_("leave on its movement"),
    "confirm_arrival": N_("have its arrival confirmed"),
    "designate_destination": N_("have its destination designated"),
    "serve_notice": N_("have written notice of the destination served"),
    "start_waiting_period": N_("start the time to raise a fear claim"),
    "clear": N_("be cleared for removal"),
    "resume": N_("resume from the final order"),
}
# Who does it ("Mexico's case officer confirms arrival").
DOINGS = {
    "submit": N_("submits it for screening"),
    "screen": N_("screens it"),
    "reopen": N_("reopens it once the facts are corrected"),
    "approve_sending": N_("approves or denies"),
    "approve_receiving": N_("approves or denies"),
    "verify_consent": N_("holds the consent hearing"),
    "schedule": N_("places it on a movement"),
    "depart": N_("records the departure"),
    "confirm_arrival": N_("confirms arrival"),
    "designate_destination": N_("designates the destination"),
    "serve_notice": N_("serves notice"),
    "start_waiting_period": N_("starts the waiting period"),
    "clear": N_("clears it for removal"),
    "resume": N_("resumes it"),
}
ROLE_WORDS = {
    "case_officer": N_("case officer"),
    "reviewer": N_("reviewing official"),
    "verifier": N_("consent verifier"),
}
COUNTRIES = {
    "US": N_("the United States"),
    "MX": N_("Mexico"),
    "SV": N_("El Salvador"),
    "VE": N_("Venezuela"),
    "GT": N_("Guatemala"),
    "HN": N_("Honduras"),
    "CA": N_("Canada"),
    "FR": N_("France"),
    "TR": N_("Türkiye"),
    "TH": N_("Thailand"),
    "PE": N_("Peru"),
    "PA": N_("Panama"),
    "BO": N_("Bolivia"),
    "HK": N_("Hong Kong"),
}
# The forward step itself records these: a reviewer's approval, the consent at the hearing.
GIVEN_BY_STEP = {
    "approve_sending": {"APPROVAL"},
    "approve_receiving": {"APPROVAL"},
    "verify_consent": {"CONSENT"},
}
# Recorded by later steps, never "facts" an officer types.
LATER = {"CONSENT", "APPROVAL"}


@dataclass(frozen=True)
class Stage:
    """Where a case stands: whether its next step is open, and the sentence that says so."""

    open: bool
    sentence: str
    who_next: str


def country(code: str) -> str:
    """A state's name in a sentence (its code where the name is not known)."""
    return _(COUNTRIES[code]) if code in COUNTRIES else code


def possessive(code: str) -> str:
    """`Mexico's`, `the United States'`."""
    name = country(code)
    return _("%(name)s'", name=name) if name.endswith("s") else _("%(name)s's", name=name)


def forward_step(case: Case) -> Transition | None:
    """The step that moves the case on (not a side exit, not a preparation)."""
    for transition in available(case.authority, case.state):
        command = transition.command
        if command in SIDE_EXITS or command in ("mark_ineligible", "deny"):
            continue
        if command.startswith("prepare_"):
            continue
        return transition
    return None


def who_acts_next(case: Case) -> str:
    """Who takes the next step: "Mexico's case officer confirms arrival" (to follow "Next:")."""
    step = forward_step(case)
    if step is None:
        return ""
    states = sorted(acting_states(case, step))
    roles = sorted(_(ROLE_WORDS[r.value]) for r in step.roles if r.value in ROLE_WORDS)
    or_ = _(" or ")
    who = or_.join(
        _("%(state)s %(role)s", state=possessive(s), role=or_.join(roles)) for s in states
    )
    doing = _(DOINGS[step.command]) if step.command in DOINGS else step.command
    return _("%(who)s %(doing)s.", who=who, doing=doing)


def stage_of(case: Case, verdict: dict[str, Any] | None) -> Stage:
    """The case's stage in one sentence, from its forward step and the verdict."""
    step = forward_step(case)
    who = who_acts_next(case)
    if step is None:
        return Stage(False, _("The case is closed (%(stage)s).", stage=words(case.state)), "")
    phrase = _(PHRASES[step.command]) if step.command in PHRASES else step.command
    checks = (verdict or {}).get("checks", [])
    given = GIVEN_BY_STEP.get(step.command, set())
    if step.gate is None:
        stopping = [c for c in checks if c["outcome"] == "fail"]
        missing = [c for c in checks if c["outcome"] == "unknown" and c["ground"] not in LATER]
    else:
        blocking = blocking_checks(step, verdict or {"checks": []})
        blocking = [c for c in blocking if c["ground"] not in given]
        stopping = [c for c in blocking if c["outcome"] == "fail"]
        missing = [c for c in blocking if c["outcome"] != "fail"]
    failing = grounds_in_words([c["ground"] for c in stopping])
    unknown = grounds_in_words([c["ground"] for c in missing])
    if step.gate is not None and (stopping or missing):
        if stopping and missing:
            sentence = _(
                "Cannot %(step)s yet: %(failing)s not met; still missing: %(missing)s — "
                "record the facts.",
                step=phrase,
                failing=failing,
                missing=unknown,
            )
        elif stopping:
            sentence = _("Cannot %(step)s: %(failing)s not met.", step=phrase, failing=failing)
        else:
            sentence = _(
                "Cannot %(step)s yet; still missing: %(missing)s — record the facts.",
                step=phrase,
                missing=unknown,
            )
        return Stage(False, sentence, who)
    if stopping:
        sentence = _(
            "May %(step)s, but %(failing)s not met: screening will stop it.",
            step=phrase,
            failing=failing,
        )
    elif missing:
        sentence = _(
            "May %(step)s; still missing: %(missing)s — record the facts.",
            step=phrase,
            missing=unknown,
        )
    else:
        later = [c["ground"] for c in checks if c["outcome"] != "pass" and c["ground"] in LATER]
        later = [g for g in later if g not in given]
        sentence = _("May %(step)s.", step=phrase)
        if later:
            sentence = _(
                "May %(step)s; still to come at later steps: %(later)s.",
                step=phrase,
                later=grounds_in_words(later),
            )
    return Stage(True, sentence, who)
