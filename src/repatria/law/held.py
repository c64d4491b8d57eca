"""Amendments held in the database, as law files: approved in the application (four eyes)
and layered over the shipped law after the local directory's files, each from the day it
took effect in this installation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from repatria.law.errors import LawDataError
from repatria.law.files import LawFile
from repatria.law.yamlload import line_of, load_yaml_text

_IDENTIFIER = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class AmendmentText:
    """One amendment's YAML and what it names: hashable, so a catalog is cached by it."""

    number: int
    folder: str  # authorities or shared
    target: str  # the id it amends, or the id of the authority or rule set it adds
    text: str
    label: str  # how errors name it: the uploaded file's name, or "amendment N"
    known_from: date | None = None  # the day it took effect here (None: a proposal)

    def law_file(self) -> LawFile:
        """The amendment as a law file named `amendments/N/folder/id.yaml`."""
        path = Path(self.folder) / f"{self.target}.yaml"
        raw = load_yaml_text(self.text, self.label)
        name = f"amendments/{self.number}/{self.folder}/{self.target}.yaml"
        return LawFile(name, path, raw, self.text, self.label)


def what_it_names(
    text: str, label: str, authorities: set[str], rule_sets: set[str]
) -> tuple[str, str]:
    """(folder, target) of an uploaded overlay: the shipped authority or rule set it amends
    (`amends:`), or the authority (with a `kind:`) or rule set it adds (`id:`).
    LawDataError names the file, the line and the reason."""
    raw = load_yaml_text(text, label)
    if not isinstance(raw, dict):
        raise LawDataError(label, "must hold a mapping at the top level", 1)
    key = "amends" if "amends" in raw else "id" if "id" in raw else None
    if key is None:
        raise LawDataError(
            label,
            "names neither `amends:` (entries added to an authority or rule set) nor `id:`"
            " (a new authority or rule set)",
            1,
        )
    target = raw[key]
    if not isinstance(target, str) or not _IDENTIFIER.match(target):
        line = line_of(Path(label), [key], text)
        raise LawDataError(label, f"{key}: {target!r} is not an authority or rule set id", line)
    if key == "amends":
        shared = target in rule_sets and target not in authorities
    else:
        shared = "kind" not in raw
    return ("shared" if shared else "authorities"), target
