"""The Spanish catalog is complete: every text marked for translation anywhere (templates
and Python, as `make i18n` extracts it with babel.cfg) has a Spanish translation that keeps
its placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "src/repatria/locale/es/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _marked() -> dict[str, str]:
    """Each marked message (its singular) and where it is marked."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found: dict[str, str] = {}
    for filename, lineno, message, _, _ in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        singular = message[0] if isinstance(message, tuple) else message
        if singular:
            found.setdefault(singular, f"{filename}:{lineno}")
    return found


def _spanish() -> dict[str, tuple[str, ...]]:
    with CATALOG.open("rb") as po:
        catalog = read_po(po, locale="es")
    translated: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            translated[singular] = strings
    return translated


def test_the_extraction_finds_the_pages_text() -> None:
    marked = _marked()
    assert "Sign in to Repatria" in marked  # a template
    assert "Dashboard" in marked  # Python (the navigation)


def test_every_marked_text_has_a_spanish_translation() -> None:
    spanish = _spanish()
    missing = [f"{where}: {text!r}" for text, where in _marked().items() if text not in spanish]
    assert not missing, "untranslated (run make i18n, then translate):\n" + "\n".join(missing)


def test_no_text_is_marked_inside_an_f_string() -> None:
    # The extractor reads an f-string as one string: a gettext call inside it is never
    # extracted, so its text would silently stay English.
    hidden = re.compile(r"""\bf(["'])[^"'\n]*\{[^}]*\b(?:gettext|_)\(""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "src/repatria").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hidden.search(line)
    ]
    assert not found


def test_translations_keep_every_placeholder() -> None:
    spanish = _spanish()
    wrong = [
        text
        for text in _marked()
        if text in spanish
        and any(
            set(PLACEHOLDER.findall(form)) - {"num"} != set(PLACEHOLDER.findall(text)) - {"num"}
            for form in spanish[text]
        )
    ]
    assert not wrong
