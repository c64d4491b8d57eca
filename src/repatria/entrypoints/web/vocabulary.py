"""The names of the system's fixed values as readers see them, marked for translation: roles,
case and movement stages, steps, outcomes, grounds and kinds (issue 20).

Every member of the enums the pages show has a name here (tests/entrypoints/web/
test_vocabulary.py), so a new stage cannot appear untranslated.
"""

from __future__ import annotations

from repatria.domain.errors import DomainError
from repatria.domain.errors import Words as Naming
from repatria.i18n import N_, current_language, gettext
from repatria.law import terms
from repatria.law.language import Words, language_of

ROLES = {
    "case_officer": N_("case officer"),
    "reviewer": N_("reviewing official"),
    "verifier": N_("consent verifier"),
    "facility_admin": N_("facility administrator"),
    "finance": N_("finance officer"),
    "auditor": N_("auditor"),
    "admin": N_("administrator"),
    "legal_officer": N_("legal officer"),
}

STAGES = {
    "draft": N_("draft"),
    "screening": N_("screening"),
    "sending_review": N_("sending review"),
    "receiving_review": N_("receiving review"),
    "consent_verification": N_("consent verification"),
    "approved": N_("approved"),
    "scheduled": N_("scheduled"),
    "in_transit": N_("in transit"),
    "completed": N_("completed"),
    "ineligible": N_("ineligible"),
    "denied": N_("denied"),
    "withdrawn": N_("withdrawn"),
    "cancelled": N_("cancelled"),
    "order_final": N_("order final"),
    "destination_designated": N_("destination designated"),
    "notice_served": N_("notice served"),
    "waiting_period": N_("waiting period"),
    "cleared": N_("cleared"),
    "delivered": N_("delivered"),
    "blocked": N_("blocked"),
    # movements
    "planned": N_("planned"),
    "manifest_locked": N_("manifest locked"),
    "departed": N_("departed"),
    "arrived": N_("arrived"),
    "closed": N_("closed"),
}

STEPS = {
    "submit": N_("submit"),
    "screen": N_("screen"),
    "mark_ineligible": N_("mark ineligible"),
    "reopen": N_("reopen"),
    "prepare_sending": N_("prepare sending"),
    "prepare_receiving": N_("prepare receiving"),
    "approve_sending": N_("approve sending"),
    "approve_receiving": N_("approve receiving"),
    "deny": N_("deny"),
    "verify_consent": N_("verify consent"),
    "withdraw": N_("withdraw"),
    "schedule": N_("schedule"),
    "depart": N_("depart"),
    "confirm_arrival": N_("confirm arrival"),
    "cancel": N_("cancel"),
    "designate_destination": N_("designate destination"),
    "serve_notice": N_("serve notice"),
    "start_waiting_period": N_("start waiting period"),
    "clear": N_("clear"),
    "block": N_("block"),
    "resume": N_("resume"),
    # a movement's steps
    "lock": N_("lock"),
    "close": N_("close"),
}

KINDS = {
    # protection orders and holds
    "withholding": N_("withholding"),
    "cat_withholding": N_("CAT withholding"),
    "cat_deferral": N_("CAT deferral"),
    "tro": N_("TRO"),
    "injunction": N_("injunction"),
    "stay": N_("stay"),
    "habeas_pending": N_("habeas pending"),
    # decisions, consent and fear claims
    "approve": N_("approve"),
    "magistrate_judge": N_("magistrate judge"),
    "district_judge": N_("district judge"),
    "designated_officer": N_("designated officer"),
    "protected": N_("protected"),
    "rejected": N_("rejected"),
    # money and places
    "per_person_day": N_("per person day"),
    "per_person_year": N_("per person year"),
    "lump_sum": N_("lump sum"),
    "per_person": N_("per person"),
    "single_plus_additional": N_("single plus additional"),
    "single": N_("single"),
    "shared": N_("shared"),
    # a person on a movement's manifest
    "aboard": N_("aboard"),
    "removed": N_("removed"),
    # security levels of cells (the demo's; a facility may name its own)
    "max": N_("max"),
    "medium": N_("medium"),
    "min": N_("min"),
    # the law: kinds of authority, when a rule applies, the basis of a value, units
    "transfer": N_("transfer"),
    "custody": N_("custody"),
    "always": N_("always"),
    "us_involved": N_("the US is a party"),
    "us_outbound": N_("out of the US"),
    "us_inbound": N_("into the US"),
    "holds_listed": N_("holds are listed"),
    "death_sentence_stated": N_("a death sentence is stated"),
    "law": N_("law"),
    "policy": N_("policy"),
    "project": N_("project default"),
    "days": N_("days"),
    "hours": N_("hours"),
    "months": N_("months"),
    "years": N_("years"),
    # sides and tracks
    "sending": N_("sending"),
    "receiving": N_("receiving"),
    "either": N_("either"),
    "treaty": N_("treaty"),
    "removal": N_("removal"),
    "session": N_("session"),
    "api": N_("API"),
}

# What a role may or may not do (domain/access.py's Action), as a refusal says it.
ACTIONS = {
    "read": N_("read"),
    "write_people": N_("record people"),
    "open_case": N_("open cases"),
    "assess": N_("assess"),
    "manage_accounts": N_("manage accounts"),
    "manage_own_tokens": N_("manage their own tokens"),
    "manage_facilities": N_("manage facilities"),
    "manage_contracts": N_("manage custody contracts"),
    "propose_law": N_("propose amendments to the law"),
    "decide_law": N_("decide amendments to the law"),
    "request_checkpoint": N_("ask for signed checkpoints"),
}

# Each lifecycle step's summary (domain/lifecycle.py), as the case page's forms show it.
SUMMARIES = (
    N_("send the application to screening"),
    N_("eligible on the facts: to the sending state's review"),
    N_("not eligible on the facts"),
    N_("facts corrected: screen again"),
    N_("a reviewer prepares the sending state's decision (someone else must take it)"),
    N_("a reviewer prepares the receiving state's decision (someone else must take it)"),
    N_("the sending state approves"),
    N_("the receiving state approves"),
    N_("the state under review denies, with reasons"),
    N_("consent verified at a hearing: approved for transfer"),
    N_("the person withdraws the application"),
    N_("placed on a movement"),
    N_("the movement leaves"),
    N_("the receiving state confirms arrival"),
    N_("a hold, protection order or failed re-assessment ends the case"),
    N_("the destination country is designated"),
    N_("written notice of the destination is served on the person"),
    N_("the time to raise a fear claim or seek habeas runs"),
    N_("every check passes: cleared for removal"),
    N_("the receiving state confirms delivery"),
    N_("a hold, fear claim or protection order stops the removal"),
    N_("the block is lifted: the removal starts again from the final order"),
    N_("the removal is abandoned"),
)

# What an event of the record is about (its subject_type).
SUBJECTS = {
    "case": N_("case"),
    "checkpoint_request": N_("request for a signed checkpoint"),
    "credential": N_("token"),
    "custody_contract": N_("custody contract"),
    "facility": N_("facility"),
    "law_amendment": N_("amendment to the law"),
    "movement": N_("movement"),
    "organisation": N_("organisation"),
    "peer": N_("peer state"),
    "person": N_("person"),
    "stay": N_("stay in a facility"),
    "user": N_("user"),
}

# What a refusal says was not found (NotFound's kind), beside the subjects above.
THINGS = {
    **SUBJECTS,
    "token": N_("token"),
    "space standard": N_("space standard"),
    "security key": N_("security key"),
    "people": N_("people"),
    "law amendment": N_("amendment to the law"),
    "custody contract": N_("custody contract"),
    "file": N_("file"),
    "fear claim": N_("fear claim"),
    "event": N_("event"),
    "cost rate": N_("cost rate"),
    "consent verification of case": N_("consent verification of case"),
    "checkpoint": N_("checkpoint"),
    "authority": N_("authority"),
    "assessment": N_("assessment"),
}

NAMES = {**KINDS, **STEPS, **STAGES, **ROLES}
# The law's own words for a check's outcome, an offence and who consents: defined once, in
# English and Spanish, where the engine's reasons take them (law/terms.py).
LAW_WORDS: dict[str, Words] = {**terms.OUTCOMES, **terms.OFFENSES, **terms.CONSENT_GIVERS}


def words(value: object) -> str:
    """A fixed value's name in the reader's language (snake_case as words if it has none)."""
    key = str(getattr(value, "value", value))
    if key in LAW_WORDS:
        return LAW_WORDS[key](language_of(current_language()))
    name = NAMES.get(key)
    return gettext(name) if name else key.replace("_", " ")


def subject(kind: object) -> str:
    """What an event is about (case, movement, user…), in the reader's language."""
    key = str(kind)
    return gettext(SUBJECTS[key]) if key in SUBJECTS else key.replace("_", " ")


def thing(kind: str) -> str:
    """The kind of record a refusal did not find, in the reader's language."""
    return gettext(THINGS[kind]) if kind in THINGS else kind


def not_found(kind: str, key: object) -> str:
    """That a record was not found, in the reader's language."""
    return gettext("%(kind)s %(key)s was not found", kind=thing(kind), key=key)


def role_name(role: object) -> str:
    """A role's name in the reader's language."""
    key = str(getattr(role, "value", role))
    return gettext(ROLES[key]) if key in ROLES else key


def term(value: str) -> str:
    """A step, stage, role or action a refusal names (domain.errors.Term), in the reader's
    language (a code written with spaces, "approve sending", is the same code)."""
    if ", " in value:  # a list of them (the roles a step needs)
        return ", ".join(term(each) for each in value.split(", "))
    code = value.replace(" ", "_")
    if code in ROLES:
        return role_name(code)
    return gettext(ACTIONS[code]) if code in ACTIONS else words(code)


def refusal_words() -> Naming | None:
    """How a refusal shown now names its Terms: the reader's words, or (in English) the codes
    it has always said."""
    return None if current_language() == "en" else term


def said(exc: DomainError) -> str:
    """A refusal in the reader's language, its steps, stages and roles in words."""
    return exc.said(refusal_words())
