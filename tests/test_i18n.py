"""repatria.i18n: which locale a person reads in, and dates, numbers and money in it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from repatria import i18n


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es_MX"),
        ("es-SV", "es_SV"),
        ("es", "es_MX"),
        ("es-AR", "es_MX"),  # Spanish elsewhere reads the default Spanish
        ("en-GB;q=0.5, es;q=0.7", "es_MX"),  # the higher q-value wins, not the first
        ("fr, de", None),
        ("es;q=0", None),  # q=0 means "not this"
        ("", None),
        ("es;q=zz, en", "en_US"),  # a malformed weight is skipped, not a failure
    ],
)
def test_accept_language_picks_the_best_supported_locale(header: str, expected: str) -> None:
    assert i18n.from_accept_language(header) == expected


def test_the_saved_preference_wins_over_the_cookie_and_the_browser() -> None:
    assert i18n.choose("en", "es", "es-MX") == "en_US"


def test_the_cookie_wins_over_the_browser() -> None:
    assert i18n.choose(None, "es", "en-US") == "es_MX"


def test_a_salvadoran_user_reading_spanish_gets_the_salvadoran_locale() -> None:
    assert i18n.choose("es", None, None, "SV") == "es_SV"
    assert i18n.choose(None, None, "es-MX", "SV") == "es_SV"
    assert i18n.choose(None, None, "en", "SV") == "en_US"


def test_without_any_choice_the_reader_gets_english() -> None:
    assert i18n.choose(None, None, None) == "en_US"
    assert i18n.choose("xx", "yy", "zz") == "en_US"


def test_marked_text_is_spanish_in_a_spanish_locale_and_english_otherwise() -> None:
    with i18n.use_locale("es_MX"):
        assert i18n.gettext("Sign in") == "Iniciar sesión"
    with i18n.use_locale("en_US"):
        assert i18n.gettext("Sign in") == "Sign in"


def test_dates_follow_the_locale() -> None:
    day = date(2026, 12, 7)
    with i18n.use_locale("es_MX"):
        assert i18n.format_date(day) == "7 dic 2026"
    with i18n.use_locale("en_US"):
        assert i18n.format_date(day) == "Dec 7, 2026"


def test_moments_are_shown_in_utc_whatever_their_zone() -> None:
    moment = datetime(2026, 12, 7, 19, 5, tzinfo=UTC)
    with i18n.use_locale("es_SV"):
        assert i18n.format_datetime(moment) == "7 dic 2026 19:05 UTC"


def test_money_is_in_the_readers_way() -> None:
    amount = Decimal("4760000.50")
    with i18n.use_locale("en_US"):
        assert i18n.format_money(amount) == "$4,760,000.50"
    with i18n.use_locale("es_SV"):  # El Salvador's currency is the dollar
        assert i18n.format_money(amount) == "$4,760,000.50"
    with i18n.use_locale("es_MX"):  # in Mexico "$" is the peso, so the dollar is named
        assert i18n.format_money(amount).startswith("USD")
        assert i18n.format_money(amount, "MXN") == "$4,760,000.50"


def test_missing_values_show_a_dash() -> None:
    assert i18n.format_date(None) == "—"
    assert i18n.format_money(None) == "—"
