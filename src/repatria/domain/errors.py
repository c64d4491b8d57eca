"""Typed domain errors, turned into HTTP responses and CLI messages once, at the edge."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from repatria.i18n import N_, gettext

Words = Callable[[str], str]


class Term(str):
    """A fixed value a refusal names (a step, a stage, a role): its code in English, as the
    record keeps it; its name in the reader's vocabulary where the refusal is shown."""

    __slots__ = ()


def _worded(params: Mapping[str, object], words: Words | None) -> dict[str, object]:
    if words is None:
        return dict(params)
    return {key: words(v) if isinstance(v, Term) else v for key, v in params.items()}


class DomainError(Exception):
    """Base of every error the domain raises on purpose.

    A refusal people read is a whole sentence with named placeholders, marked where it is
    raised (`Conflict(N_("case %(case)s is full"), case=ref)`): `str()` is its English, as
    the record, the logs and the API in English keep it; `said()` is its sentence in the
    reader's language, which the entrypoints show."""

    def __init__(self, message: str = "", /, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def said(self, words: Words | None = None) -> str:
        """The refusal in the current language (English where the catalog has no entry),
        each Term named by `words` (the reader's vocabulary) where given."""
        if not self.message:
            return str(self)
        return gettext(self.message, **_worded(self.params, words))


class InvalidValue(ValueError):
    """A command's own check refusing a value (raised in a pydantic validator, which keeps it
    as the error's cause): a whole sentence with named placeholders, like a DomainError."""

    def __init__(self, message: str, /, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def said(self) -> str:
        """The refusal in the current language."""
        return gettext(self.message, **self.params)


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

    def __init__(
        self, message: str, pending: str = "", *, enrol: bool = False, **params: object
    ) -> None:
        super().__init__(message, **params)
        self.pending = pending
        self.enrol = enrol


class TooManyAttempts(DomainError):
    """Too many failed sign-ins for an account or from an address: wait and try again."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed sign-ins: try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


class Conflict(DomainError):
    """The change collides with the current state (stale version, duplicate key)."""


class StorageBusy(DomainError):
    """Another change held the records this one needed for longer than a change waits for
    them: nothing was written, and the same request may simply be tried again."""

    def __init__(self) -> None:
        super().__init__(
            N_("another change to the same records is under way: nothing was written; retry")
        )


class InvalidInput(DomainError):
    """A field's value is not acceptable; names the field and the reason."""

    def __init__(self, field: str, reason: str, /, **params: object) -> None:
        self.field = field
        self.reason = reason % params if params else reason
        super().__init__(f"{field}: {self.reason}")
        self.template = reason
        self.params = params

    def said(self, words: Words | None = None) -> str:
        """The whole refusal, field and reason, in the current language."""
        return f"{self.field}: {self.reason_said(words)}"

    def reason_said(self, words: Words | None = None) -> str:
        """Why the field was refused, in the current language."""
        return gettext(self.template, **_worded(self.params, words))


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
