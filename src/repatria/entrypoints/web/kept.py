"""A form as it was typed when refused, which the page's fields are filled from (the helper
that shows it: refused_forms.py; the fields: templates/_kept.html)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

WHOLE_FORM = ""  # the key of a reason that concerns no one field (as kept_forms.WHOLE_FORM)


@dataclass(frozen=True)
class Kept:
    """A refused form as typed, with the reason for each refused field (by the form's own
    field names); `form` names which form of the page it is (a page may hold several)."""

    form: str = ""
    typed: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)

    def refused(self, form: str) -> bool:
        """True on the page that shows this form refused."""
        return bool(form) and form == self.form

    def value(self, form: str, name: str, default: object = "") -> str:
        """What was typed in the field, or its default on a fresh form."""
        if self.refused(form) and name in self.typed:
            return self.typed[name]
        return "" if default is None else str(default)

    def chose(self, form: str, name: str, option: object, default: object = "") -> bool:
        """True when the option was the one chosen (a select, a radio button)."""
        return self.value(form, name, default) == str(option)

    def error(self, form: str, name: str) -> str:
        """Why the field was refused, or ""."""
        return self.errors.get(name, "") if self.refused(form) else ""

    def aria(self, form: str, name: str, hint: bool = False) -> Markup:
        """The field's aria attributes: invalid and described by its reason (and hint)."""
        ids = [f"e-{form}-{name}"] if self.error(form, name) else []
        ids += [f"h-{form}-{name}"] if hint else []
        if not ids:
            return Markup("")
        if self.error(form, name):
            return Markup(' aria-invalid="true" aria-describedby="{}"').format(" ".join(ids))
        return Markup(' aria-describedby="{}"').format(" ".join(ids))

    def whole(self, form: str) -> str:
        """The reason no single field owns (a stale version, a rule about the whole form)."""
        return self.error(form, WHOLE_FORM)


FRESH = Kept()
