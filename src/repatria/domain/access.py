"""Who may do what, and which records a user may see at all."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from repatria.domain.accounts import Principal, Role
from repatria.domain.errors import PermissionDenied, Term
from repatria.i18n import N_


class Action(enum.StrEnum):
    """Things a role may be allowed to do."""

    READ = "read"
    WRITE_PEOPLE = "write_people"
    OPEN_CASE = "open_case"
    ASSESS = "assess"
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_OWN_TOKENS = "manage_own_tokens"
    MANAGE_FACILITIES = "manage_facilities"  # cells, stays, allocation
    MANAGE_CONTRACTS = "manage_contracts"  # custody contracts
    PROPOSE_LAW = "propose_law"  # an amendment to the law, for a second person to review
    DECIDE_LAW = "decide_law"  # approve or reject another person's amendment (four eyes)
    # Ask the signing command for a checkpoint; it changes no case (docs/decisions/0007).
    REQUEST_CHECKPOINT = "request_checkpoint"


_EVERY_ROLE = frozenset(Role)
_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.READ: _EVERY_ROLE,
    Action.WRITE_PEOPLE: frozenset({Role.CASE_OFFICER}),
    Action.OPEN_CASE: frozenset({Role.CASE_OFFICER}),
    Action.ASSESS: frozenset({Role.CASE_OFFICER, Role.REVIEWER, Role.VERIFIER}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Action.MANAGE_OWN_TOKENS: _EVERY_ROLE,
    Action.MANAGE_FACILITIES: frozenset({Role.FACILITY_ADMIN}),
    Action.MANAGE_CONTRACTS: frozenset({Role.FINANCE}),
    Action.PROPOSE_LAW: frozenset({Role.LEGAL_OFFICER}),
    Action.DECIDE_LAW: frozenset({Role.LEGAL_OFFICER, Role.ADMIN}),
    Action.REQUEST_CHECKPOINT: frozenset({Role.AUDITOR, Role.ADMIN}),
}


def allowed(principal: Principal, action: Action) -> bool:
    """True when the principal's role may perform the action."""
    return principal.role in _ALLOWED[action]


def require(principal: Principal, action: Action) -> None:
    """Raise PermissionDenied unless the principal's role may perform the action."""
    if not allowed(principal, action):
        raise PermissionDenied(
            N_("the role %(role)s may not %(action)s"),
            role=Term(principal.role.value),
            action=Term(action.value),
        )


# Roles only the installation's operator grants: an administrator granting them would rule
# over other administrators of its state, or read every state's records.
OPERATOR_GRANTED = frozenset({Role.ADMIN, Role.AUDITOR})


def is_operator(principal: Principal) -> bool:
    """True for the installation's operator: the CLI on the server, never an API user."""
    return principal.user_id is None and principal.state == "*"


def require_operator(principal: Principal, act: str) -> None:
    """Raise PermissionDenied unless the installation's operator is acting."""
    if not is_operator(principal):
        raise PermissionDenied(
            N_("only the installation's operator may %(act)s (repatria CLI)"), act=act
        )


def administers(principal: Principal, state: str) -> bool:
    """True when the principal administers the accounts of organisations of this state."""
    return is_operator(principal) or (principal.role is Role.ADMIN and principal.state == state)


def sees_everything(principal: Principal) -> bool:
    """Auditors (and the system itself) read every state's records."""
    return principal.role is Role.AUDITOR or principal.state == "*"


def scope_of(principal: Principal) -> str | None:
    """The state whose records the principal sees (those from, to, held or kept by it), or
    None when they see everything: what a repository's query is narrowed by."""
    return None if sees_everything(principal) else principal.state


def sees_states(principal: Principal, states: Iterable[str]) -> bool:
    """True when a record touching these states is in the principal's scope."""
    return sees_everything(principal) or principal.state in set(states)
