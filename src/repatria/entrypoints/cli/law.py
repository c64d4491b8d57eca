"""The `repatria law` commands and `repatria assess`: the legal engine at the command line."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.bootstrap import build
from repatria.entrypoints.cli.amendments import amendments_app
from repatria.law import ENGINE_VERSION
from repatria.law.catalog import DATA_DIR, LawCatalog, load_catalog_from, load_layered
from repatria.law.document import load_json, parse_document
from repatria.law.engine import assess
from repatria.law.errors import InvalidDocument, LawDataError
from repatria.law.language import ENGLISH, LANGUAGES, Language, language_of
from repatria.law.review import caveats, completeness
from repatria.law.scenarios import load_scenarios, run_scenario
from repatria.services import law_in_force
from repatria.settings import get_settings

law_app = typer.Typer(
    help="The law as data: check it, show it, test it, amend it.", no_args_is_help=True
)
law_app.add_typer(amendments_app)  # propose, approve, reject, history, impact, announce


def _out() -> Console:
    # Made per call, so the terminal width is read when the command runs, not at import.
    return Console()


DEFAULT_SCENARIOS = Path("tests/law/scenarios")


def _fail(message: str, code: int) -> typer.Exit:
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(code)


WITH_APPROVED_AMENDMENTS = (
    "Also apply the amendments approved in this installation's database that are in effect"
    " today (repatria law history). Without it: the shipped law and REPATRIA_LAW_DIR only,"
    " and no database is read."
)


LanguageOption = Annotated[
    str,
    typer.Option(
        "--language",
        envvar="REPATRIA_LANGUAGE",
        help="The language of the reasons (and of an instrument's title): en or es (es-MX,"
        " es-SV ...); outcomes, grounds, rule ids and citations are the same in both.",
    ),
]


def chosen_language(code: str) -> Language:
    """The language --language (or REPATRIA_LANGUAGE) names; exit 2 for any other."""
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    if primary not in LANGUAGES:
        raise _fail(f"--language: {code!r} is not one of {', '.join(LANGUAGES)}", 2)
    return language_of(primary)


def law_in_the_database(known_on: date | None = None) -> LawCatalog:
    """The law this installation's database has in force today (the shipped law,
    REPATRIA_LAW_DIR and the amendments approved in the application), or as it knew it on
    a day; DatabaseNotMigrated for a database not at the newest migration."""
    container = build()
    container.ensure_migrated()
    try:
        with container.uow(read_only=True) as uow:
            return law_in_force.catalog_of(uow, known_on=known_on)
    finally:
        container.dispose()


@law_app.command("check")
def check_command(
    list_caveats: Annotated[
        bool,
        typer.Option(
            "--unverified",
            help="Also list every unverified fact, and every one resting on agency policy or a"
            " project default, with its source.",
        ),
    ] = False,
) -> None:
    """Validate every law data file, and this installation's amendments over them
    (REPATRIA_LAW_DIR), and print, per authority, whether its party list is complete and how
    many facts are unverified or rest on policy."""
    local_dir = get_settings().law_dir
    try:
        catalog = load_catalog_from(DATA_DIR, local_dir)
    except LawDataError as exc:
        raise _fail(str(exc), 1) from None
    table = Table(title=f"Law data (engine {ENGINE_VERSION})")
    for column in ("authority", "kind", "parties", "party list", "rules", "unverified", "policy"):
        table.add_column(column)
    every = []
    for authority_id, authority in catalog.authorities.items():
        found = caveats(catalog, authority)
        every += found
        table.add_row(
            authority_id,
            authority.kind,
            str(len({party.state for party in authority.parties})),
            completeness(authority),
            str(len(catalog.rules_for(authority_id))),
            str(sum(not caveat.verified for caveat in found)),
            str(sum(caveat.basis == "policy" for caveat in found)),
        )
    _out().print(table)
    if list_caveats:
        listing = Table("authority", "kind", "what", "verified", "basis", "source")
        for caveat in every:
            listing.add_row(
                caveat.authority,
                caveat.kind,
                caveat.what,
                str(caveat.verified),
                caveat.basis,
                caveat.source,
            )
        _out().print(listing)
    if local_dir is not None:
        _print_local(catalog, local_dir)
    _out().print(f"digest {catalog.digest}")


def _print_local(catalog: LawCatalog, local_dir: Path) -> None:
    if not catalog.local:
        _out().print(f"No local amendments in {local_dir}", highlight=False)
        return
    local = Table("file", "what it adds", title=f"Local amendments from {local_dir}")
    for file in catalog.local:
        local.add_row(file.path, file.adds)
    _out().print(local)


@law_app.command("show")
def show_command(
    authority_id: Annotated[str, typer.Argument(help="An authority id.")],
    with_approved_amendments: Annotated[
        bool, typer.Option("--with-approved-amendments", help=WITH_APPROVED_AMENDMENTS)
    ] = False,
    language: LanguageOption = ENGLISH,
) -> None:
    """Print an authority's parties, rules and parameters with their citations, by the
    shipped law and REPATRIA_LAW_DIR (not the amendments approved in the application's
    database, unless --with-approved-amendments); an entry this installation added is
    marked (local)."""
    try:
        catalog = (
            law_in_the_database()
            if with_approved_amendments
            else load_layered(get_settings().law_dir)
        )
        shipped = load_layered(None)
    except LawDataError as exc:
        raise _fail(str(exc), 1) from None
    authority = catalog.authorities.get(authority_id)
    if authority is None:
        raise _fail(
            f"unknown authority {authority_id!r}; known: {', '.join(catalog.authorities)}", 2
        )
    _out().print(f"[bold]{authority.id}[/] — {authority.title}\n{authority.citation.render()}")
    spanish = authority.title_es
    if chosen_language(language) == "es" and spanish is not None:
        kind = "título oficial" if spanish.official else "traducción, no es el título oficial"
        _out().print(f"En español: {spanish.text} ({kind}; {spanish.source})", highlight=False)
    listed = authority.party_list
    per = f" ({listed.source})" if listed else ""
    _out().print(f"Party list: {completeness(authority)}{per}")
    for ruling in authority.contested:
        _out().print(f"[bold]Contested[/]: {ruling.court}, {ruling.decided_on}: {ruling.holding}")
    parties = Table("state", "from", "until", "verified", "source", title="Parties")
    shipped_authority = shipped.authorities.get(authority.id)
    shipped_parties = shipped_authority.parties if shipped_authority else []
    for party in authority.parties:
        until = str(party.until or "")
        source = party.source + ("" if party in shipped_parties else " (local)")
        parties.add_row(party.state, str(party.from_), until, str(party.verified), source)
    _out().print(parties)
    rules = Table("rule", "ground", "when", "citation", "verified", "basis", title="Rules")
    for owner, rule in catalog.rules_for(authority.id):
        rules.add_row(
            f"{owner.id}/{rule.id}",
            rule.ground,
            rule.when,
            rule.citation.render(),
            str(rule.verified),
            rule.basis + (" (waivable)" if rule.waivable else ""),
        )
    _out().print(rules)
    values = Table(
        "parameter", "from", "value", "citation", "verified", "basis", title="Parameters"
    )
    for owner in catalog.rule_sources(authority):
        shipped_owner = shipped.authorities.get(owner.id) or shipped.rule_sets.get(owner.id)
        for name, parameter in owner.parameters.items():
            shipped_parameter = shipped_owner.parameters.get(name) if shipped_owner else None
            shipped_values = shipped_parameter.values if shipped_parameter else []
            for entry in parameter.values:
                value = json.dumps(entry.value, default=str) + (
                    f" {entry.by_state}" if entry.by_state else ""
                )
                values.add_row(
                    name,
                    str(entry.from_),
                    value,
                    entry.citation.render() + ("" if entry in shipped_values else " (local)"),
                    str(entry.verified),
                    entry.basis,
                )
    _out().print(values)


@law_app.command("test")
def test_command(
    directory: Annotated[
        Path, typer.Argument(help="Folder of scenario YAML files.")
    ] = DEFAULT_SCENARIOS,
) -> None:
    """Run every scenario file and print pass or fail per scenario."""
    try:
        scenarios = load_scenarios(directory)
    except LawDataError as exc:
        raise _fail(str(exc), 1) from None
    failures = 0
    for scenario in scenarios:
        problems = run_scenario(scenario)
        failures += bool(problems)
        mark = "[red]FAIL[/]" if problems else "[green]pass[/]"
        _out().print(f"{mark} {scenario.file}: {scenario.name}", highlight=False)
        for problem in problems:
            _out().print(f"     {problem}", highlight=False)
    _out().print(f"{len(scenarios) - failures} passed, {failures} failed")
    if failures or not scenarios:
        raise typer.Exit(1)


def assess_file_command(
    path: Path,
    as_known_on: str | None = None,
    *,
    with_approved_amendments: bool = False,
    language: Language = ENGLISH,
) -> None:
    """Print the verdict on one JSON document; exit 2 naming the field if it is invalid.

    By the shipped law and REPATRIA_LAW_DIR, reading no database; `with_approved_amendments`:
    by the law in force in the database today (its approved amendments too), with its
    digest. `as_known_on`: the verdict Repatria would have given that day, by the law it knew
    then (the shipped and local law without what was learned later, and the amendments
    approved in the database that had taken effect by then)."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"document: cannot read {path}: {exc}", 2) from None
    try:
        document = parse_document(load_json(text))
    except InvalidDocument as exc:
        raise _fail(f"{exc.field}: {exc.reason}", 2) from None
    if as_known_on is None and not with_approved_amendments:
        print(json.dumps(assess(document, language=language).to_json(), ensure_ascii=False))
        return
    day = None
    if as_known_on is not None:
        try:
            day = date.fromisoformat(as_known_on)
        except ValueError:
            raise _fail(f"as_known_on: {as_known_on!r} is not a date (YYYY-MM-DD)", 2) from None
    catalog = law_in_the_database(known_on=day)
    verdict = assess(document, None, catalog, language=language).to_json()
    if day is not None:
        verdict["as_known_on"] = day.isoformat()
    verdict["law_digest"] = catalog.digest
    print(json.dumps(verdict, ensure_ascii=False))
