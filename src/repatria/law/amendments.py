"""Local amendments: an installation's own law files, layered over the shipped law. A local
file adds an authority or a shared rule set, or amends a shipped one by adding parties,
agreements, rulings and dated values; it never changes or removes an entry already there."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from repatria.law.errors import LawDataError
from repatria.law.files import LawFile, parse_file, read_law_files, refusal
from repatria.law.known import known_then, refuse_first_values_learned_later
from repatria.law.schema import (
    DATA,
    Agreement,
    Authority,
    Citation,
    DatedValue,
    Identifier,
    Party,
    RuleSet,
    Ruling,
)

Entry = TypeVar("Entry", bound=BaseModel)


class LocalParty(Party):
    """A party entry added locally: its citation is required, so a verdict can cite it."""

    citation: Citation


class AddedValues(BaseModel):
    """The dated values a local file adds to one parameter the law defines."""

    model_config = DATA
    values: list[DatedValue] = Field(min_length=1)


class Amendment(BaseModel):
    """A local file that amends a shipped authority or rule set, by additions only."""

    model_config = DATA
    amends: Identifier
    parties: list[LocalParty] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
    contested: list[Ruling] = Field(default_factory=list)
    parameters: dict[str, AddedValues] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _adds_something(self) -> Amendment:
        if not (self.parties or self.agreements or self.contested or self.parameters):
            raise ValueError("adds nothing: give parties, agreements, contested or parameters")
        return self


@dataclass(frozen=True)
class LocalFile:
    """A file of the local directory, what it adds to, and a summary of what it adds."""

    path: str  # where it is, for the operator
    id: str
    adds: str
    name: str  # `local/` and its name in the directory: in the digest and in public views


@dataclass
class Layer:
    """The law being built: authorities and rule sets by id, and the file that defines each
    (for an amended one, the local file, which any later error is about)."""

    authorities: dict[str, Authority]
    rule_sets: dict[str, RuleSet]
    files: dict[str, str]


def apply_local(
    local_dir: Path | None,
    law: Layer,
    extra: Sequence[LawFile] = (),
    known_on: date | None = None,
) -> tuple[list[LawFile], list[LocalFile]]:
    """Add every file of a local directory, then the `extra` files (approved amendments held
    in the database, in order), to the law (in place): the files read, and what each adds.
    LawDataError names the local file, the line and the problem."""
    found: list[LawFile] = []
    if local_dir is not None:
        if not local_dir.is_dir():
            raise LawDataError(str(local_dir), "the local law directory does not exist")
        _refuse_strays(local_dir)
        found = read_law_files(local_dir)
    found += extra
    refuse_first_values_learned_later(found)
    if known_on is not None:
        # The digest is then of what was known that day; an amendment all of whose entries
        # were learned later is left out whole.
        found = [known for file in found if (known := known_then(file, known_on)) is not None]
    shipped = set(law.authorities) | set(law.rule_sets)
    # New authorities and rule sets first: all of them are known before any is checked.
    added = [_add(file, law, shipped) for file in found if not _amends(file)]
    return found, added + [_amend(file, law) for file in found if _amends(file)]


def _refuse_strays(local_dir: Path) -> None:
    # A file the loader would not read must not look like an amendment in force.
    for path in sorted(local_dir.rglob("*.y*ml")):
        relative = path.relative_to(local_dir)
        if len(relative.parts) != 2 or relative.parts[0] not in ("authorities", "shared"):
            raise LawDataError(str(path), "a local law file belongs in authorities/ or shared/")
        if path.suffix != ".yaml":
            raise LawDataError(str(path), "a law file's name ends in .yaml")


def _amends(file: LawFile) -> bool:
    return isinstance(file.raw, dict) and "amends" in file.raw


def _add(file: LawFile, law: Layer, shipped: set[str]) -> LocalFile:
    """A new authority or rule set, validated as a shipped file is."""
    model = Authority if file.folder == "authorities" else RuleSet
    parsed = parse_file(file.label, file.path, file.raw, model, text=file.text)
    if parsed.id in shipped:
        raise LawDataError(
            file.label,
            f"{parsed.id} is shipped law, which a local file may not replace; to add to it,"
            f" write `amends: {parsed.id}` and only the entries it adds",
            file.line(["id"]),
        )
    target = law.authorities if model is Authority else law.rule_sets
    target[parsed.id] = parsed
    law.files[parsed.id] = file.label
    kind = "authority" if model is Authority else "shared rule set"
    return LocalFile(file.label, parsed.id, f"adds the {kind} {parsed.id}", local_name(file))


def _amend(file: LawFile, law: Layer) -> LocalFile:
    name = file.label
    amendment: Amendment = parse_file(
        name, file.path, file.raw, Amendment, key="amends", text=file.text
    )
    owners: dict[str, Any] = law.authorities if file.folder == "authorities" else law.rule_sets
    owner = owners.get(amendment.amends)
    if owner is None:
        kind = "authority" if file.folder == "authorities" else "shared rule set"
        reason = f"amends {amendment.amends!r}, which is no shipped {kind}"
        raise LawDataError(name, reason, file.line(["amends"]))
    merged, counts = _merged(amendment, owner, file)
    try:
        owners[owner.id] = type(owner).model_validate(merged)
    except ValidationError as exc:
        raise refusal(name, file.path, exc, file.text) from None
    law.files[owner.id] = name
    return LocalFile(name, owner.id, f"amends {owner.id}: {counts}", local_name(file))


def local_name(file: LawFile) -> str:
    """How a local file is named where its place on this machine does not matter (an
    amendment held in the database is named `amendments/N/...` already)."""
    return file.name if file.text is not None else f"local/{file.name}"


def _merged(amendment: Amendment, owner: RuleSet, file: LawFile) -> tuple[dict[str, Any], str]:
    """The owner's data with the amendment's new entries; entries it restates unchanged are
    left out, and one that would change an entry is refused."""

    def refuse(location: Sequence[str | int], reason: str) -> LawDataError:
        return LawDataError(file.label, reason, file.line(location))

    data = owner.model_dump(by_alias=True)
    counts: list[str] = []
    lists: list[tuple[str, list[Any], Callable[[Any], Hashable], Callable[[Any], Any], str]] = [
        ("parties", amendment.parties, _party_key, lambda p: p.until, "party"),
        ("agreements", amendment.agreements, _agreement_key, lambda a: a.until, "agreement"),
        ("contested", amendment.contested, _ruling_key, lambda r: r.holding.split(), "ruling"),
    ]
    for field, added, key, essence, noun in lists:
        if added and not isinstance(owner, Authority):
            raise refuse([field], f"{owner.id} is a shared rule set, which has no {field}")
        if not added:
            continue
        shipped = getattr(owner, field)
        new = _additions(shipped, added, key, essence, [field], refuse, owner.id)
        data[field] = [*data[field], *(entry.model_dump(by_alias=True) for entry in new)]
        counts.append(_count(len(new), noun))
    added_values = 0
    for parameter_name, added_parameter in amendment.parameters.items():
        parameter = owner.parameters.get(parameter_name)
        if parameter is None:
            known = ", ".join(owner.parameters) or "none"
            raise refuse(
                ["parameters", parameter_name],
                f"{owner.id} has no parameter {parameter_name!r} (it has: {known}); a local"
                " file adds dated values to the parameters the law defines",
            )
        location = ["parameters", parameter_name, "values"]
        new_values = _additions(
            parameter.values,
            added_parameter.values,
            lambda value: value.from_,
            lambda value: (value.value, value.by_state),
            location,
            refuse,
            f"{owner.id}: {parameter_name}",
        )
        values = sorted([*parameter.values, *new_values], key=lambda value: value.from_)
        data["parameters"][parameter_name]["values"] = [
            value.model_dump(by_alias=True) for value in values
        ]
        added_values += len(new_values)
    if amendment.parameters:
        counts.append(_count(added_values, "dated value"))
    return data, ", ".join(counts)


def _additions(
    shipped: list[Entry],
    added: list[Entry],
    key: Callable[[Entry], Hashable],
    essence: Callable[[Entry], Any],
    location: Sequence[str | int],
    refuse: Callable[[Sequence[str | int], str], LawDataError],
    owner: str,
) -> list[Entry]:
    """The entries that are new; an entry restated as it stands changes nothing, and one
    with the key of an existing entry but another content is refused."""
    existing = {key(entry): entry for entry in shipped}
    new = []
    for index, entry in enumerate(added):
        old = existing.get(key(entry))
        if old is None:
            new.append(entry)
        elif essence(old) != essence(entry):
            raise refuse(
                [*location, index],
                f"{owner} already has the entry {_describe(old)}; this one would change it to"
                f" {_describe(entry)}. A local file may add entries, never change or remove"
                " one: give the change the date it takes effect",
            )
    return new


def _party_key(party: Party) -> Hashable:
    return (party.state, party.from_)


def _agreement_key(agreement: Agreement) -> Hashable:
    return (agreement.sending, agreement.host, agreement.from_)


def _ruling_key(ruling: Ruling) -> Hashable:
    return (ruling.court, ruling.decided_on)


def _describe(entry: BaseModel) -> str:
    if isinstance(entry, DatedValue):
        by_state = f" (by state {entry.by_state})" if entry.by_state else ""
        return f"from {entry.from_} = {entry.value!r}{by_state}"
    if isinstance(entry, Party):
        return f"{entry.state} from {entry.from_} until {entry.until or 'no end'}"
    if isinstance(entry, Agreement):
        return f"{entry.sending}->{entry.host} from {entry.from_} until {entry.until or 'no end'}"
    if isinstance(entry, Ruling):
        return f"{entry.court} of {entry.decided_on}: {' '.join(entry.holding.split())}"
    return repr(entry)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
