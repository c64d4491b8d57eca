"""The languages the law speaks, English (the source) and Spanish, and values shown in each.

A check's reasons are written in both languages beside each other (`law/checks/`); the values
a reason names are rendered here for the language asked: in English exactly as the
assessment contract has always printed them (country codes, ISO dates), in Spanish as Mexican
and Salvadoran officials write them (country names from Babel's locale data, "11 de abril de
2025"). Citations are never translated: they keep the language of the text cited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Literal, get_args

from babel import Locale
from babel.dates import format_date

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
ENGLISH: Language = "en"
SPANISH_LOCALE = "es_MX"  # dates and names as Mexico writes them (El Salvador writes them alike)


def language_of(code: str | None) -> Language:
    """The language a code names (`es`, `es-SV`, `es_MX`, `en-US`); English otherwise."""
    primary = (code or "").replace("_", "-").split("-")[0].strip().lower()
    return "es" if primary == "es" else ENGLISH


@dataclass(frozen=True)
class Words:
    """One text in every language the law speaks, English and Spanish side by side."""

    en: str
    es: str

    def __call__(self, language: Language) -> str:
        """The text in `language`."""
        return self.es if language == "es" else self.en


def term(vocabulary: Mapping[str, Words], language: Language, code: str | None) -> str:
    """A code of a closed list (`drug_trafficking`, `person`) as `language` says it: English
    keeps the code, as the contract prints it; an unlisted code is shown as it is."""
    if code is None or language == ENGLISH:
        return str(code)
    found = vocabulary.get(code)
    return found(language) if found else code


# Where the locale's name reads badly inside a sentence's parentheses ("RAE de Hong Kong
# (China)"), the name Mexican official usage gives.
_SPANISH_NAMES = {"HK": "Hong Kong", "MO": "Macao"}


@lru_cache(maxsize=512)
def _spanish_country(code: str) -> str:
    found = _SPANISH_NAMES.get(code) or Locale.parse(SPANISH_LOCALE).territories.get(code, code)
    return str(found)


def country(language: Language, code: str | None) -> str:
    """A country code as a reason names it: the code in English, the country's name in
    Spanish (Babel's locale data: MX is México, US Estados Unidos)."""
    if code is None:
        return "None"
    return code if language == ENGLISH else _spanish_country(code)


def countries(language: Language, codes: Iterable[str] | None, none: Words) -> str:
    """A list of country codes joined by commas (`none` where the list is empty)."""
    names = [country(language, code) for code in codes or []]
    return ", ".join(names) or none(language)


@lru_cache(maxsize=4096)
def _spanish_date(day: date) -> str:
    return format_date(day, "long", locale=SPANISH_LOCALE)


def day_in(language: Language, day: date | None) -> str:
    """A date as a reason writes it: ISO in English, "11 de abril de 2025" in Spanish."""
    if day is None:
        return "None"
    return day.isoformat() if language == ENGLISH else _spanish_date(day)


def moment_in(language: Language, moment: datetime) -> str:
    """A moment: ISO in English; the day and the time in UTC in Spanish."""
    if language == ENGLISH:
        return moment.isoformat()
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    return f"{_spanish_date(utc.date())}, a las {utc:%H:%M} (UTC)"


def rendered(value: Any, language: Language) -> Any:
    """A value as a Spanish reason shows it (dates in words); in English, the value itself,
    so the English reasons stay exactly what the contract prints."""
    if language == ENGLISH:
        return value
    if isinstance(value, datetime):
        return moment_in(language, value)
    if isinstance(value, date):
        return _spanish_date(value)
    if isinstance(value, bool):
        return "sí" if value else "no"
    return value


_JOINERS = {"and": Words(" and ", " y "), "or": Words(" or ", " o "), "nor": Words(" nor ", " ni ")}


def joined(items: Iterable[str], joiner: Literal["and", "or", "nor"], language: Language) -> str:
    """Items joined by "and", "or" or "nor" in `language` (Spanish "e" before an i- sound,
    "u" before an o- sound, as the grammar asks)."""
    words = list(items)
    if not words:
        return ""
    text = words[0]
    for word in words[1:]:
        link = _JOINERS[joiner](language)
        if language == "es" and joiner != "nor":
            start = word.lower().lstrip("h")[:1]
            if joiner == "and" and start == "i":
                link = " e "
            elif joiner == "or" and start == "o":
                link = " u "
        text += link + word
    return text
