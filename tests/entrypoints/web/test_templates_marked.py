"""Every word a template shows is marked for translation: text between tags, the attributes a
person reads or hears (alt, title, placeholder, aria-label), and literal strings a template
prints. Proper names, symbols and code (inside <code> or <pre>) are allowed as they are."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import nodes

from repatria.entrypoints.web import rendering

TEMPLATES = sorted(rendering.TEMPLATES.rglob("*.html"))
HOLE = "\x00"  # where an expression's value goes in the page's skeleton
GETTEXT = {"_", "gettext", "ngettext"}
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "label", "summary"}
VERBATIM = {"code", "pre", "script", "style"}
# Names and symbols that read the same in every language.
ALLOWED = {"Repatria", "CSV", "PDF", "JSON", "UTC", "API", "HTTPS", "WebAuthn", "Ed25519"}
WORD = re.compile(r"[^\W\d_]{2,}")
CODE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)+$")  # an identifier, such as bop-register
# Inside a tag, the attribute whose value an expression is printed into.
IN_TAG = re.compile(r"<[^<>]*?(?:([\w-]+)=[\"'][^\"']*)?$")


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.replace(HOLE, " ")) if w not in ALLOWED]


class _Reader(HTMLParser):
    """Collects the text and read attributes of a page skeleton, outside code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.verbatim = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VERBATIM:
            self.verbatim += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and not CODE.match(value) and _words(value):
                self.found.append(f'{name}="{value.strip()}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in VERBATIM and self.verbatim:
            self.verbatim -= 1

    def handle_data(self, data: str) -> None:
        if not self.verbatim and _words(data):
            self.found.append(data.strip().replace(HOLE, "…"))


def _literals(node: nodes.Node) -> list[str]:
    """Literal strings an expression prints (not those given to gettext, compared, or
    passed to a filter, test or function as an argument)."""
    if isinstance(node, nodes.Const):
        return [node.value] if isinstance(node.value, str) and _words(node.value) else []
    if isinstance(node, nodes.Call):
        named = isinstance(node.node, nodes.Name) and node.node.name in GETTEXT
        return [] if named else _literals(node.node)
    if isinstance(node, nodes.Filter | nodes.Test):
        return _literals(node.node) if node.node is not None else []
    if isinstance(node, nodes.CondExpr):
        return _literals(node.expr1) + (_literals(node.expr2) if node.expr2 else [])
    if isinstance(node, nodes.Concat):
        return [text for part in node.nodes for text in _literals(part)]
    if isinstance(node, nodes.MarkSafeIfAutoescape):
        return _literals(node.expr)
    return []


def _unmarked(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    template = rendering.environment().parse(source)
    skeleton: list[str] = []
    printed: list[str] = []
    for output in template.find_all(nodes.Output):
        for part in output.nodes:
            if isinstance(part, nodes.TemplateData):
                skeleton.append(part.data)
            else:
                tag = IN_TAG.search("".join(skeleton[-3:]))
                skeleton.append(HOLE)
                if tag and tag.group(1) not in READ_ATTRIBUTES:
                    continue  # a class, an id, an address: not read by anyone
                printed += [f"{{{{ '{text}' }}}}" for text in _literals(part)]
    reader = _Reader()
    reader.feed("".join(skeleton))
    return reader.found + printed


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(rendering.TEMPLATES)))
def test_every_visible_word_is_marked_for_translation(path: Path) -> None:
    assert not _unmarked(path)


def test_the_check_finds_unmarked_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<p>Sign in</p><img alt="A chart"><p>{{ "yes" if x else _("no") }}</p>'
        '<p>{{ _("Marked") }} <code>repatria law check</code></p>',
        encoding="utf-8",
    )
    assert _unmarked(page) == ["Sign in", 'alt="A chart"', "{{ 'yes' }}"]
