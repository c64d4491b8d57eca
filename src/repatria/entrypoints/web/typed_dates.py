"""Dates typed the way the pages write them: a form's date field takes the reader's own way
(«7 dic 2026» or «07/12/2026» in Mexico, «Dec 7, 2026» or «12/7/2026» in the US) as well as
ISO 8601 (2026-12-07), which scripts and the API send."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from babel import Locale, dates

from repatria.i18n import current_locale, format_date

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMERIC = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
_FILLER = {"de", "del", "of", "the"}  # «7 de diciembre de 2026»


def _plain(text: str) -> str:
    """Lower case, accents and dots dropped: «Sept.» and «sept» read alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip(".")


def _month_names(locale: Locale) -> dict[str, int]:
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                names.setdefault(_plain(name), number)
    return names


def _year(text: str) -> int:
    value = int(text)
    return value if len(text) > 2 else 2000 + value  # «26» in a short date is 2026


def _numeric_order(locale: Locale) -> list[str]:
    """The order of day, month and year in the locale's short date (M/d/yy: month first)."""
    pattern = dates.get_date_format("short", locale=locale).pattern
    order = sorted(
        (pattern.find(symbol), symbol) for symbol in ("d", "M", "y") if symbol in pattern
    )
    return [symbol for _, symbol in order]


def parse_day(text: str, locale: str | None = None) -> date | None:
    """The date the text names, in ISO or as the reader's locale writes dates; None when it
    names none (or an impossible one, such as 31/02/2026)."""
    text = " ".join(text.split())
    if not text:
        return None
    try:
        if _ISO.match(text):
            return date.fromisoformat(text)
        babel_locale = Locale.parse(locale or current_locale())
        numeric = _NUMERIC.match(text)
        if numeric:
            parts = dict(zip(_numeric_order(babel_locale), numeric.groups(), strict=True))
            if len(parts["y"]) not in (2, 4):
                return None
            return date(_year(parts["y"]), int(parts["M"]), int(parts["d"]))
        return _with_month_name(text, babel_locale)
    except (ValueError, KeyError):
        return None


def _month(word: str, months: dict[str, int]) -> int | None:
    """The month a word names: a name or abbreviation, or the start (three letters or more)
    of just one month's name («sept», «setiembre»'s «set» aside)."""
    if word in months:
        return months[word]
    starts = {number for name, number in months.items() if len(word) >= 3 and name.startswith(word)}
    return starts.pop() if len(starts) == 1 else None


def _with_month_name(text: str, locale: Locale) -> date | None:
    months = _month_names(locale)
    words = [_plain(w) for w in re.split(r"[\s,/-]+", text) if _plain(w) not in _FILLER]
    named = [m for m in (_month(w, months) for w in words if not w.isdigit()) if m is not None]
    numbers = [w for w in words if w.isdigit()]
    if len(named) != 1 or len(numbers) != 2 or len(words) != 3:
        return None
    day_text, year_text = sorted(numbers, key=len)  # the year has four digits
    if len(year_text) != 4 or len(day_text) > 2:
        return None
    return date(int(year_text), named[0], int(day_text))


def as_iso(text: str) -> str:
    """The typed date as ISO when it names one; otherwise the text as typed (the command then
    refuses it, naming the field)."""
    found = parse_day(text)
    return found.isoformat() if found else text.strip()


def example() -> str:
    """How the pages write a day, for the hint beside a date field: «7 dic 2026»."""
    return format_date(date(2026, 12, 7))
