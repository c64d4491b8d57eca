"""With Accept-Language: es, the login page, the public statistics and every page a signed-in
Mexican (or Salvadoran) user reaches are in Spanish, with <html lang="es">.

Each Mexican demo user (one per role), and the Salvadorans whose work is El Salvador's own,
follows every link of their pages, one page per kind of address; a page's visible text must
hold no English word (citations, codes and hashes keep their language, as do names and what
people typed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from repatria.domain.accounts import Role
from tests.web.conftest import VERSION, csrf_of

Browsers = Callable[[str | None], TestClient]
SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}
# Words that English needs and Spanish never uses: one of them on a page is English text.
ENGLISH = {
    "the",
    "and",
    "with",
    "is",
    "are",
    "was",
    "were",
    "of",
    "your",
    "you",
    "this",
    "that",
    "which",
    "has",
    "have",
    "been",
    "will",
    "from",
    "their",
    "there",
    "these",
    "those",
    "than",
    "into",
    "case",
    "cases",
    "people",
    "person",
    "movement",
    "movements",
    "record",
    "state",
    "states",
    "sign",
    "signed",
    "out",
    "none",
    "nothing",
    "yes",
    "page",
    "next",
}
# Text that keeps its own language: citations, codes and hashes (by class), and whatever says
# so itself: another `lang` (English law data without a Spanish version), or translate="no"
# (names, usernames, what people typed).
KEEP = {"cite", "hash"}
STEP = re.compile(r'name="command" value="([a-z_]+)"')
SKIP = re.compile(r"\.(pdf|csv|svg|json)$|^/(api|static|language|logout)|^/login/")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.words: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and (found.get("href") or "").startswith("/"):
            self.links.append(str(found["href"]).split("#")[0])
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        classes = set((found.get("class") or "").split())
        other_language = not (found.get("lang") or "es").startswith("es")
        keep = (
            tag in ("code", "pre", "script", "style", "option", "textarea")
            or bool(classes & KEEP)
            or other_language
            or found.get("translate") == "no"
        )
        self.stack.append(keep or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            # Usernames (mx-case-officer), codes (drug_trafficking, IS for Iceland) and
            # acronyms are not words of a language.
            tokens = re.findall(r"[A-Za-z][A-Za-z_-]*", data)
            self.words += [t for t in tokens if t.isalpha() and not t.isupper()]


def _read(html: str) -> _Text:
    reader = _Text()
    reader.feed(html)
    return reader


def _english(html: str) -> list[str]:
    return sorted({w for w in _read(html).words if w.lower() in ENGLISH})


def _kind(path: str) -> str:
    """One page per kind of address: /cases/12 and /cases/31 are the same kind."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def _crawl(client: TestClient, start: str, limit: int = 60) -> dict[str, list[str]]:
    seen: set[str] = set()
    todo = [start]
    found: dict[str, list[str]] = {}
    while todo and len(seen) < limit:
        path = todo.pop(0)
        if _kind(path) in seen or SKIP.search(path.split("?")[0]):
            continue
        seen.add(_kind(path))
        page = client.get(path, headers=SPANISH)
        if page.status_code != 200 or "text/html" not in page.headers["content-type"]:
            continue
        problems = [] if '<html lang="es">' in page.text else ["<html lang> is not es"]
        problems += _english(page.text)
        if problems:
            found[path] = problems
        todo += [link for link in _read(page.text).links if _kind(link) not in seen]
    return found


def test_the_check_finds_english() -> None:
    assert _english('<p>Sign in with <span class="cite">the Act</span></p>') == ["Sign", "with"]


@pytest.mark.parametrize("path", ["/login", "/statistics", "/law"])
def test_public_pages_are_spanish(browser_for: Browsers, path: str) -> None:
    assert _crawl(browser_for(None), path, limit=1) == {}


@pytest.mark.parametrize("role", [r.value.replace("_", "-") for r in Role], ids=str)
def test_every_page_a_mexican_user_sees_is_spanish(browser_for: Browsers, role: str) -> None:
    assert _crawl(browser_for(f"mx-{role}"), "/dashboard") == {}


# El Salvador's own work: the custody facility, its contracts, its reviews.
@pytest.mark.parametrize("role", ["facility-admin", "finance", "reviewer"], ids=str)
def test_every_page_a_salvadoran_user_sees_is_spanish(browser_for: Browsers, role: str) -> None:
    assert _crawl(browser_for(f"sv-{role}"), "/dashboard") == {}


# Refused actions: what the services say when they refuse is in Spanish too.
def _refusal(client: TestClient, path: str, form: dict[str, str], page: str) -> tuple[int, str]:
    """Send a form as the page read just before gives it (its token), in Spanish."""
    read = client.get(page, headers=SPANISH).text
    answer = client.post(path, data={**form, "csrf_token": csrf_of(read)}, headers=SPANISH)
    return answer.status_code, answer.text


def _a_step(client: TestClient) -> tuple[str, str, str]:
    """A case of the user's state on which the user may take a step: its page, its version
    and the step, as the page's form gives them."""
    listed = client.get("/cases", headers=SPANISH).text
    for path in (link for link in _read(listed).links if re.fullmatch(r"/cases/\d+", link)):
        page = client.get(path, headers=SPANISH).text
        version, step = VERSION.search(page), STEP.search(page)
        if version and step:
            return path, version.group(1), step.group(1)
    raise AssertionError("no case offers this user a step")


def test_a_refused_form_comes_back_in_spanish(browser_for: Browsers) -> None:
    officer = browser_for("mx-case-officer")
    typed = {"family_name": "Ruiz", "given_names": "Ana", "citizenship": "MX"}
    status, page = _refusal(officer, "/people", {**typed, "birth_date": "2999-01-01"}, "/people")
    assert status == 422 and "birth_date es una fecha futura" in page
    assert _english(page) == []


def test_a_step_the_role_may_not_take_is_refused_in_spanish(browser_for: Browsers) -> None:
    path, version, step = _a_step(browser_for("mx-reviewer"))
    auditor = browser_for("mx-auditor")
    form = {"command": step, "version": version, "reason": "x"}
    status, page = _refusal(auditor, f"{path}/steps", form, path)
    # The roles the step needs, in words (the reviewer is one of them).
    assert status == 403 and "requiere uno de estos roles" in page
    assert "funcionario dictaminador" in page
    assert _english(page) == []


def test_a_step_on_a_case_changed_meanwhile_is_a_conflict_in_spanish(
    browser_for: Browsers,
) -> None:
    reviewer = browser_for("mx-reviewer")
    path, version, step = _a_step(reviewer)
    form = {"command": step, "version": str(int(version) + 7), "reason": "x"}
    status, page = _refusal(reviewer, f"{path}/steps", form, path)
    assert status == 409 and "alguien más lo modificó" in page
    assert _english(page) == []


def test_a_wrong_password_is_refused_in_spanish(browser_for: Browsers) -> None:
    anonymous = browser_for(None)
    form = {"username": "mx-reviewer", "password": "not-the-password"}
    status, page = _refusal(anonymous, "/login", form, "/login")
    assert status == 401 and _english(page) == []
