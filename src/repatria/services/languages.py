"""A user's language: chosen on the account page or by the header's switch (issue 20)."""

from __future__ import annotations

from repatria import i18n
from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
from repatria.i18n import N_
from repatria.services.unit_of_work import UnitOfWork
from repatria.services.users import own_account, state_of


def set_language(uow: UnitOfWork, actor: Principal, language: str | None) -> str | None:
    """Save the language the acting user reads Repatria in (en, es, or a supported locale
    such as es_SV); None or "" leaves it to the browser. Returns what was saved."""
    chosen = (language or "").strip() or None
    if chosen is not None and i18n.supported(chosen) is None:
        choices = ", ".join(i18n.LANGUAGES)
        raise InvalidInput(
            "language",
            N_("must be one of %(choices)s, not %(chosen)s"),
            choices=choices,
            chosen=repr(chosen),
        )
    if chosen is not None and "_" not in chosen.replace("-", "_"):
        chosen = chosen.lower()
    elif chosen is not None:
        chosen = i18n.supported(chosen)
    user = own_account(uow, actor)
    if user.language == chosen:
        return chosen  # nothing changes, so nothing is recorded
    before = user.language
    user.language = chosen
    uow.record(
        actor,
        "ChangeLanguage",
        "user",
        user.id,
        before={"language": before},
        after={"language": chosen},
        states=[state_of(user)],
    )
    return chosen
