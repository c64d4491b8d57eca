"""Where a case stands, in one sentence, and who acts next: the case's forward step (not a
side exit), whether the law lets it be taken now, and what is still missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from repatria.domain.cases import Case
from repatria.domain.lifecycle import Transition, available
from repatria.domain.transitions import acting_states, blocking_checks
from repatria.entrypoints.web.plain_words import grounds_in_words
from repatria.services.views import SIDE_EXITS

# What taking the forward step does to the case ("May <phrase>").
PHRASES = {
    "submit": "be submitted for screening",
    "screen": "pass screening and go to the sending state's review",
    "reopen": "be reopened for screening once the facts are corrected",
    "approve_sending": "be approved by the sending state",
    "approve_receiving": "be approved by the receiving state",
    "verify_consent": "have the person's consent verified at a hearing",
    "schedule": "be placed on a movement",
    "depart": "leave on its movement",
    "confirm_arrival": "have its arrival confirmed",
    "designate_destination": "have its destination designated",
    "serve_notice": "have written notice of the destination served",
    "start_waiting_period": "start the time to raise a fear claim",
    "clear": "be cleared for removal",
    "resume": "resume from the final order",
}
# Who does it ("Mexico's case officer confirms arrival").
DOINGS = {
    "submit": "submits it for screening",
    "screen": "screens it",
    "reopen": "reopens it once the facts are corrected",
    "approve_sending": "approves or denies",
    "approve_receiving": "approves or denies",
    "verify_consent": "holds the consent hearing",
    "schedule": "places it on a movement",
    "depart": "records the departure",
    "confirm_arrival": "confirms arrival",
    "designate_destination": "designates the destination",
    "serve_notice": "serves notice",
    "start_waiting_period": "starts the waiting period",
    "clear": "clears it for removal",
    "resume": "resumes it",
}
ROLE_WORDS = {
    "case_officer": "case officer",
    "reviewer": "reviewing official",
    "verifier": "consent verifier",
}
COUNTRIES = {
    "US": "the United States",
    "MX": "Mexico",
    "SV": "El Salvador",
    "VE": "Venezuela",
    "GT": "Guatemala",
    "HN": "Honduras",
    "CA": "Canada",
    "FR": "France",
    "TR": "Türkiye",
    "TH": "Thailand",
    "PE": "Peru",
    "PA": "Panama",
    "BO": "Bolivia",
    "HK": "Hong Kong",
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
    return COUNTRIES.get(code, code)


def possessive(code: str) -> str:
    """`Mexico's`, `the United States'`."""
    name = country(code)
    return name + ("'" if name.endswith("s") else "'s")


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
    roles = sorted(ROLE_WORDS.get(r.value, r.value.replace("_", " ")) for r in step.roles)
    who = " or ".join(f"{possessive(s)} {' or '.join(roles)}" for s in states)
    doing = DOINGS.get(step.command, step.command.replace("_", " "))
    return f"{who} {doing}."


def stage_of(case: Case, verdict: dict[str, Any] | None) -> Stage:
    """The case's stage in one sentence, from its forward step and the verdict."""
    step = forward_step(case)
    who = who_acts_next(case)
    if step is None:
        return Stage(False, f"The case is closed ({case.state.value.replace('_', ' ')}).", "")
    phrase = PHRASES.get(step.command, step.command.replace("_", " "))
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
            sentence = (
                f"Cannot {phrase} yet: {failing} not met; still missing: {unknown} — "
                "record the facts."
            )
        elif stopping:
            sentence = f"Cannot {phrase}: {failing} not met."
        else:
            sentence = f"Cannot {phrase} yet; still missing: {unknown} — record the facts."
        return Stage(False, sentence, who)
    if stopping:
        sentence = f"May {phrase}, but {failing} not met: screening will stop it."
    elif missing:
        sentence = f"May {phrase}; still missing: {unknown} — record the facts."
    else:
        later = [c["ground"] for c in checks if c["outcome"] != "pass" and c["ground"] in LATER]
        later = [g for g in later if g not in given]
        sentence = f"May {phrase}."
        if later:
            sentence = f"May {phrase}; still to come at later steps: {grounds_in_words(later)}."
    return Stage(True, sentence, who)
