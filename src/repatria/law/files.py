"""Reading law files: which files are law, and one file parsed against its schema, any error
naming the file, the line and the field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from repatria.law.errors import LawDataError
from repatria.law.yamlload import line_of, load_yaml

# Only these folders hold law; other reference data beside them (costs, standards) is not.
LAW_FOLDERS = ("authorities", "shared")


@dataclass(frozen=True)
class LawFile:
    """One law file: its name relative to its directory, where it is, and its content.

    An amendment held in the database is a law file with no place on disk: its `path` is
    `folder/id.yaml`, its `text` the YAML, and `shown` how errors name it."""

    name: str
    path: Path
    raw: Any
    text: str | None = None
    shown: str | None = None

    @property
    def folder(self) -> str:
        """`authorities` or `shared`."""
        return self.path.parent.name

    @property
    def label(self) -> str:
        """How an error names the file: where it is, or what the amendment is called."""
        return self.shown or str(self.path)

    def line(self, location: Sequence[str | int]) -> int | None:
        """The line where a place in the file starts (see `line_of`)."""
        return line_of(self.path, location, self.text)


def read_law_files(base: Path) -> list[LawFile]:
    """Every law file under a directory, authorities first, each folder in name order."""
    paths = [path for folder in LAW_FOLDERS for path in sorted(base.glob(f"{folder}/*.yaml"))]
    return [LawFile(str(path.relative_to(base)), path, load_yaml(path)) for path in paths]


def refusal(name: str, path: Path, exc: ValidationError, text: str | None = None) -> LawDataError:
    """The first problem pydantic found, as a LawDataError naming the file, line and field."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    line = line_of(path, [part for part in error["loc"] if isinstance(part, str | int)], text)
    if error["type"] == "extra_forbidden":
        return LawDataError(name, f"unknown key {str(error['loc'][-1])!r} at {where}", line)
    return LawDataError(name, f"{where or 'file'}: {error['msg']}", line)


def parse_file(
    name: str,
    path: Path,
    raw: Any,
    model: type[BaseModel],
    key: str = "id",
    text: str | None = None,
) -> Any:
    """A file's content validated by a schema model; its `key` must equal the file's name."""
    if not isinstance(raw, dict):
        raise LawDataError(name, "must hold a mapping at the top level")
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        raise refusal(name, path, exc, text) from None
    named = getattr(parsed, key)
    if named != path.stem:
        raise LawDataError(
            name, f"{key} {named!r} does not match the file name", line_of(path, [key], text)
        )
    return parsed
