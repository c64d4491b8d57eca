"""The documentation's links work from a fresh clone: every relative link in the README and
docs/ names a file the repository tracks (no link outside it, such as ../shared/)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def tracked() -> set[Path]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {(ROOT / name).resolve() for name in listed}


def test_every_relative_link_of_the_readme_and_docs_names_a_tracked_file() -> None:
    files = tracked()
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address, or a place in the same page
            path = (page.parent / target.split("#")[0]).resolve()
            if path not in files and not (
                path.is_dir() and any(f.is_relative_to(path) for f in files)
            ):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []
