"""Languages: which one a person reads, the translations, and formatting for the locale.

English is the source language (the text in the code); Spanish comes from the catalog
`locale/es/LC_MESSAGES/messages.po`, read with Babel's .po reader once per process, so a
fresh clone runs without a compile step. Each request (or document, or command) carries its
locale in a context variable; `gettext` and the formatters read it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGES = {"en": "English", "es": "Español"}  # each named in its own language
# The locales formatting follows; a language's first one is its default.
LOCALES = {"en": ("en_US",), "es": ("es_MX", "es_SV")}
DEFAULT = "en_US"
COOKIE = "repatria_lang"


@dataclass
class _Current:
    # Mutable, so a dependency that learns the user's preference mid-request changes the
    # locale of everything the request renders after it, whatever thread it runs in.
    locale: str = DEFAULT


_current: ContextVar[_Current | None] = ContextVar("repatria_locale", default=None)


def current_locale() -> str:
    """The locale in effect (e.g. es_MX)."""
    holder = _current.get()
    return holder.locale if holder else DEFAULT


def current_language() -> str:
    """The language in effect (en or es), as `<html lang>` gives it."""
    return current_locale().split("_")[0]


def set_locale(locale: str) -> None:
    """Change the locale of the current request or document (see `use_locale`)."""
    holder = _current.get()
    if holder is None:
        _current.set(_Current(locale))
    else:
        holder.locale = locale


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Run the block in a locale: a request, a document printed in a chosen language."""
    token = _current.set(_Current(locale))
    try:
        yield
    finally:
        _current.reset(token)


def supported(locale: str | None) -> str | None:
    """The supported locale a code names (es, es-SV, es_mx, en-GB → en_US), or None."""
    if not locale:
        return None
    language, _, region = locale.replace("-", "_").partition("_")
    choices = LOCALES.get(language.lower())
    if choices is None:
        return None
    wanted = f"{language.lower()}_{region.upper()}"
    return wanted if wanted in choices else choices[0]


def for_state(language: str, state: str | None) -> str:
    """A language's locale for a user of a state: Spanish in El Salvador formats as es_SV."""
    candidate = f"{language}_{state}" if state else ""
    return candidate if candidate in LOCALES.get(language, ()) else LOCALES[language][0]


def from_accept_language(header: str | None) -> str | None:
    """The best supported locale of an Accept-Language header, by its q-values, or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    for _, _, tag in sorted(ranked):
        found = supported(tag)
        if found:
            return found
    return None


def choose(
    preference: str | None,
    cookie: str | None,
    accept_language: str | None,
    state: str | None = None,
) -> str:
    """The locale for a person: their saved preference, else the header switch's cookie,
    else the browser's Accept-Language, else English. A bare language takes the region of
    the user's state where it has one (es for a Salvadoran user is es_SV)."""
    for code in (preference, cookie):
        found = supported(code)
        if found:
            return found if "_" in (code or "").replace("-", "_") else for_state(found[:2], state)
    found = from_accept_language(accept_language)
    if found and state and found[:2] != "en":
        # The browser says "es" or "es-MX": a Salvadoran official still gets es_SV money.
        return found if found.endswith(f"_{state}") else for_state(found[:2], state)
    return found or DEFAULT


@lru_cache(maxsize=4)
def translations(language: str) -> NullTranslations:
    """The translations of a language, read from its .po file (English: none needed)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == "en" or not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(message: str, **params: Any) -> str:
    """The message in the current language, its %(name)s placeholders filled."""
    text = translations(current_language()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, count: int, **params: Any) -> str:
    """The singular or plural message for `count`, in the current language."""
    text = translations(current_language()).ngettext(singular, plural, count)
    return text % {"num": count, **params}


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the usual name of gettext's no-op marker
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message


def raw_gettext(message: str) -> str:
    """The translation without filling placeholders (Jinja's newstyle gettext fills them)."""
    return translations(current_language()).gettext(message)


def raw_ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural translation for `count`, placeholders unfilled."""
    return translations(current_language()).ngettext(singular, plural, count)


def _babel_locale() -> Locale:
    return Locale.parse(current_locale())


def format_date(value: date | None, style: str = "medium") -> str:
    """A date for the reader: 7 Dec 2026 in es_MX is «7 dic 2026»."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    return dates.format_date(value, format=style, locale=_babel_locale())


def format_datetime(value: datetime | date | None, style: str = "medium") -> str:
    """A moment for the reader, in UTC (the record's time), marked as UTC."""
    if value is None:
        return "—"
    if not isinstance(value, datetime):
        return format_date(value, style)
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    locale = _babel_locale()
    day = dates.format_date(value.date(), format=style, locale=locale)
    # 24-hour time, as the record keeps it: the day in the reader's way, the hour in UTC.
    hour = dates.format_time(value, "HH:mm", tzinfo=None, locale=locale)
    return f"{day} {hour} UTC"


def format_number(value: int | float | Decimal | None) -> str:
    """A number with the locale's grouping and decimal signs."""
    if value is None:
        return "—"
    return numbers.format_decimal(value, locale=_babel_locale())


def format_money(amount: Decimal | int | float | None, currency: str = "USD") -> str:
    """An amount of money in the locale's way (US$ or USD where the dollar is not the peso)."""
    if amount is None:
        return "—"
    return numbers.format_currency(amount, currency, locale=_babel_locale())
