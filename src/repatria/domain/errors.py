"""Typed domain errors, turned into HTTP responses and CLI messages once, at the edge."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class NotFound(DomainError):
    """The thing does not exist, or the user may not know that it exists."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key} not found")
        self.kind = kind
        self.key = key


class NotAuthenticated(DomainError):
    """No valid credentials were presented."""


class PasswordsSwitchedOff(NotAuthenticated):
    """The user's organisation signs in through its identity provider, not with passwords."""


class PermissionDenied(DomainError):
    """The user's role does not allow the action."""


class PasswordChangeRequired(PermissionDenied):
    """The password was right but is a one-time one: a new password must be set first."""


class SecurityKeyRequired(PermissionDenied):
    """The password (or provider) was right, and a security key must follow before a session
    opens: `pending` is the raw token of the sign-in in progress (for the browser, which
    presents the key); `enrol` when the user has no key yet and must register one."""

    def __init__(self, message: str, pending: str = "", *, enrol: bool = False) -> None:
        super().__init__(message)
        self.pending = pending
        self.enrol = enrol


class TooManyAttempts(DomainError):
    """Too many failed sign-ins for an account or from an address: wait and try again."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed sign-ins: try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


class Conflict(DomainError):
    """The change collides with the current state (stale version, duplicate key)."""


class InvalidInput(DomainError):
    """A field's value is not acceptable; names the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotEligible(DomainError):
    """The legal engine refuses the step: the failing checks say why, with citations."""

    def __init__(
        self, command: str, checks: list[dict[str, object]], assessment: dict[str, object]
    ):
        grounds = ", ".join(sorted({str(c["ground"]) for c in checks}))
        super().__init__(f"{command} refused by the legal engine: {grounds}")
        self.command = command
        self.checks = checks
        self.assessment = assessment
