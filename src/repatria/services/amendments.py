"""Amendments to the law under review: a legal officer proposes an overlay (uploaded YAML or
a form), validated exactly as `repatria law check` validates; a second legal officer or
administrator of the same state approves it with the day it takes effect, or rejects it.
Each step is an event; an approved amendment is layered over the shipped law from its day."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from repatria.domain.access import Action, require, sees_everything
from repatria.domain.accounts import Principal
from repatria.domain.amendments import (
    AmendmentStatus,
    LawAmendment,
    check_decision,
)
from repatria.domain.errors import InvalidInput, NotFound
from repatria.domain.records import snapshot
from repatria.law.catalog import (
    DATA_DIR,
    LawCatalog,
    load_catalog_from,
    load_layered,
    local_law_dir,
)
from repatria.law.errors import LawDataError
from repatria.law.held import AmendmentText, what_it_names
from repatria.services import clock, impact, law_in_force
from repatria.services.unit_of_work import UnitOfWork, utcnow

MAX_TEXT = 200_000  # characters of YAML: far more than any amendment of one authority


class ProposeAmendment(BaseModel):
    """A proposed overlay: its YAML text, the name it is known by, and why."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200)
    file_name: str = Field(default="amendment.yaml", min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    reason: str = Field(default="", max_length=4000)


class DecideAmendment(BaseModel):
    """Approve (with the day it takes effect, today by default) or reject, with a reason."""

    model_config = ConfigDict(extra="forbid")
    approve: bool
    effective_on: date | None = None
    reason: str = Field(default="", max_length=4000)


class OverlayRefused(InvalidInput):
    """An overlay the law's loader refuses: the file, the line and the reason."""

    def __init__(self, error: LawDataError) -> None:
        super().__init__("text", str(error))
        self.error = error


def validate(
    uow: UnitOfWork, text: str, file_name: str, *, number: int = 0, effective_on: date | None = None
) -> tuple[LawCatalog, AmendmentText]:
    """The law with the overlay over every approved amendment (whatever its day), exactly
    as `law check` loads it; OverlayRefused names the file, the line and the reason."""
    in_force = law_in_force.approved(uow)
    shipped = load_layered(None)  # which ids are authorities, which rule sets (cached)
    try:
        folder, target = what_it_names(
            text, file_name, set(shipped.authorities), set(shipped.rule_sets)
        )
        candidate = AmendmentText(number, folder, target, text, file_name, effective_on)
        others = [law_in_force.as_text(a) for a in in_force if a.id != number]
        catalog = load_catalog_from(DATA_DIR, local_law_dir(), [*others, candidate])
    except LawDataError as exc:
        raise OverlayRefused(exc) from None
    return catalog, candidate


def propose(uow: UnitOfWork, principal: Principal, command: ProposeAmendment) -> LawAmendment:
    """Record a legal officer's proposed amendment, once the law's loader accepts it."""
    require(principal, Action.PROPOSE_LAW)
    catalog, candidate = validate(uow, command.text, command.file_name)
    adds = catalog.local[-1].adds if catalog.local else ""
    amendment = LawAmendment(
        state=principal.state,
        title=command.title,
        file_name=command.file_name,
        folder=candidate.folder,
        target=candidate.target,
        text=command.text,
        adds=adds,
        proposed_by=principal.user_id,
        proposed_at=utcnow(),
        reason=command.reason,
    )
    uow.amendments.add(amendment)
    uow.record(
        principal,
        "ProposeLawAmendment",
        "law_amendment",
        amendment.id,
        after=_summary(amendment),
        reason=command.reason,
        legal_basis=adds,
        states=[principal.state],
    )
    return amendment


def decide(
    uow: UnitOfWork, principal: Principal, amendment_id: int, command: DecideAmendment
) -> LawAmendment:
    """Approve or reject a proposal (four eyes: never its proposer); approving checks it
    again over the amendments approved since it was proposed."""
    require(principal, Action.DECIDE_LAW)
    amendment = get_or_raise(uow, principal, amendment_id)
    today = clock.today()
    effective_on = (command.effective_on or today) if command.approve else None
    check_decision(amendment, principal, today, effective_on)
    before = _summary(amendment)
    if command.approve:
        validate(uow, amendment.text, amendment.file_name, number=amendment_id)
    amendment.status = AmendmentStatus.APPROVED if command.approve else AmendmentStatus.REJECTED
    amendment.decided_by = principal.user_id
    amendment.decided_at = utcnow()
    amendment.decision_reason = command.reason
    amendment.effective_on = effective_on
    uow.amendments.update(amendment)
    uow.record(
        principal,
        "ApproveLawAmendment" if command.approve else "RejectLawAmendment",
        "law_amendment",
        amendment.id,
        before=before,
        after=_summary(amendment),
        reason=command.reason,
        legal_basis=amendment.adds,
        states=[amendment.state],
    )
    if effective_on is not None and effective_on <= today:
        impact.announce(uow, principal, on=today)  # in force from today: tell its cases now
    return amendment


def _summary(amendment: LawAmendment) -> dict[str, object]:
    found = snapshot(amendment)
    found.pop("text", None)  # the text is in the table; the event says what it adds
    return dict(found)


def visible(principal: Principal, amendment: LawAmendment) -> bool:
    """An approved amendment is law every user reads; a proposal or a rejected one is its
    state's (and auditors')."""
    return (
        amendment.status is AmendmentStatus.APPROVED
        or sees_everything(principal)
        or principal.state == amendment.state
    )


def get_or_raise(uow: UnitOfWork, principal: Principal, amendment_id: int) -> LawAmendment:
    """An amendment the principal may see (404 otherwise)."""
    found = uow.amendments.get(amendment_id)
    if found is None or not visible(principal, found):
        raise NotFound("law amendment", amendment_id)
    return found


def list_amendments(uow: UnitOfWork, principal: Principal | None) -> list[LawAmendment]:
    """Every amendment the principal may see, newest first (the operator sees all)."""
    if principal is None or sees_everything(principal):
        return uow.amendments.listed()
    return uow.amendments.listed(principal.state)


def usernames(uow: UnitOfWork, amendments: list[LawAmendment]) -> dict[int, str]:
    """The usernames of the people who proposed and decided these amendments."""
    ids = {a.proposed_by for a in amendments} | {a.decided_by for a in amendments}
    return uow.accounts.usernames({i for i in ids if i is not None})
