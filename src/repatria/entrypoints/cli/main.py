"""The `repatria` command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from repatria import __version__
from repatria.bootstrap import build, head_revision
from repatria.domain.accounts import Role
from repatria.entrypoints.cli.accounts import OPERATOR, organisations_app, user_commands
from repatria.entrypoints.cli.audit import audit_app
from repatria.entrypoints.cli.cases import cases_app
from repatria.entrypoints.cli.errors import INVALID_INPUT, cli_errors, fail, stderr
from repatria.entrypoints.cli.facilities import allocate_command, facilities_app, money_app
from repatria.entrypoints.cli.federation import federation_command
from repatria.entrypoints.cli.law import (
    WITH_APPROVED_AMENDMENTS,
    LanguageOption,
    assess_file_command,
    chosen_language,
    law_app,
)
from repatria.entrypoints.cli.movements import movements_app
from repatria.entrypoints.cli.peers import exchange_app, peers_app
from repatria.entrypoints.cli.people import people_commands
from repatria.entrypoints.cli.safeguards import safeguards_app
from repatria.entrypoints.cli.screen import screen_command
from repatria.services import accounts, assessments, demo, importing, oidc_providers
from repatria.services import login as signing_in
from repatria.services.commands import CreateUser

app = typer.Typer(
    help="Repatria: lawful international transfers of people in custody.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
demo_app = typer.Typer(help="Demonstration data.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens.", no_args_is_help=True)
people_app = typer.Typer(help="People in custody.", no_args_is_help=True)
for sub, name in (
    (db_app, "db"),
    (demo_app, "demo"),
    (users_app, "users"),
    (tokens_app, "tokens"),
    (people_app, "people"),
):
    app.add_typer(sub, name=name)
users_app.add_typer(user_commands)  # list, set-role, deactivate, …, change-password
people_app.add_typer(people_commands)  # record, show, update
people_app.add_typer(safeguards_app)  # hold, protection-order, lift-hold, …, decide-fear-claim
app.add_typer(organisations_app, name="organisations")
app.add_typer(law_app, name="law")
app.add_typer(audit_app, name="audit")
app.add_typer(cases_app, name="cases")
app.add_typer(movements_app, name="movements")
app.add_typer(facilities_app, name="facilities")
app.add_typer(money_app, name="money")
app.add_typer(peers_app, name="peers")
app.add_typer(exchange_app, name="exchange")
app.command("allocate")(allocate_command)
demo_app.command("federation")(federation_command)
app.command("screen")(screen_command)
console = Console()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(__version__)
        raise typer.Exit()


@app.command()
@cli_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the API and web interface (refuses an unmigrated database)."""
    container = build()
    container.ensure_migrated()
    settings = container.settings
    host, port = host or settings.host, port or settings.port
    problem = settings.serving_problem(host)
    if settings.env == "production":
        with container.uow() as uow:
            if demo.present(uow):
                problem = "the database holds the demo data and its public password: refused"
    if problem:
        stderr.print(f"error: {problem}")
        raise typer.Exit(1)
    scheme = "https" if settings.tls_cert_file else "http"
    console.print(f"Repatria {__version__} listening on {scheme}://{host}:{port}/")
    # Security keys work only at the configured origin (a name, never an IP address).
    console.print(f"open {settings.webauthn_origin}/ in a browser  (API docs: /api/docs)")
    uvicorn.run(
        "repatria.entrypoints.api.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        ssl_certfile=str(settings.tls_cert_file) if settings.tls_cert_file else None,
        ssl_keyfile=str(settings.tls_key_file) if settings.tls_key_file else None,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


@app.command()
@cli_errors
def assess(
    file: Annotated[
        Path | None, typer.Argument(help="An assessment document (JSON), or - for stdin.")
    ] = None,
    replay: Annotated[
        int | None, typer.Option(help="Replay a stored assessment by its id instead.")
    ] = None,
    as_known_on: Annotated[
        str | None,
        typer.Option(
            help="Answer as Repatria would have on this day (YYYY-MM-DD), by the law it knew"
            " then: what it learned later is left out (the database's approved amendments"
            " included)."
        ),
    ] = None,
    with_approved_amendments: Annotated[
        bool, typer.Option("--with-approved-amendments", help=WITH_APPROVED_AMENDMENTS)
    ] = False,
    language: LanguageOption = "en",
) -> None:
    """Print the legal engine's verdict on one proposed movement (exit 0 for any verdict).

    A FILE is judged by the shipped law and REPATRIA_LAW_DIR, with no database, unless
    --with-approved-amendments or --as-known-on asks for the law in the database. The
    reasons are in --language (REPATRIA_LANGUAGE); a replay prints the stored verdict, whose
    reasons the record keeps in English."""
    chosen = chosen_language(language)
    if (file is None) == (replay is None):
        raise fail("give either FILE or --replay ID", INVALID_INPUT)
    if file is not None:
        assess_file_command(
            file, as_known_on, with_approved_amendments=with_approved_amendments, language=chosen
        )
        return
    assert replay is not None
    container = build()
    container.ensure_migrated()
    with container.uow() as uow:
        replayed = assessments.replay(uow, OPERATOR, replay)
        explanation = replayed.explanation()  # reads the stored row: inside the session
    typer.echo(json.dumps(replayed.verdict, indent=2, ensure_ascii=False))
    stderr.print(f"assessment {replay}: {explanation}")


@db_app.command("upgrade")
@cli_errors
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Create or migrate the database up to the newest schema."""
    container = build()
    container.upgrade(revision)
    console.print(f"database at {container.revision()}")


@db_app.command("downgrade")
@cli_errors
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or base.")],
) -> None:
    """Migrate the database down to a revision ('base' removes every table)."""
    container = build()
    container.downgrade(revision)
    console.print(f"database at {container.revision() or 'base'}")


@db_app.command("current")
@cli_errors
def db_current() -> None:
    """Print the database's migration and the newest one this version ships."""
    container = build()
    current = container.revision() or "none (empty database)"
    console.print(f"current: {current}\nhead:    {head_revision()}")


@demo_app.command("load")
@cli_errors
def demo_load() -> None:
    """Load the demonstration data (idempotent: a second run adds nothing; refused in
    production, since its logins share a public password)."""
    container = build()
    if container.settings.env == "production":
        stderr.print("error: demo data is never loaded in production")
        raise typer.Exit(1)
    container.ensure_migrated()
    with container.uow() as uow:
        loaded = demo.load(uow)
        uow.commit()
    console.print("demo data loaded" if loaded else "demo data already present; nothing added")
    table = Table(title=f"Demo logins (password: {demo.DEMO_PASSWORD})")
    for column in ("username", "role", "state"):
        table.add_column(column)
    for username, role, state in demo.demo_logins():
        table.add_row(username, role, state)
    console.print(table)


@users_app.command("create")
@cli_errors
def users_create(
    username: str,
    organisation: Annotated[str, typer.Option("--org", help="Organisation code.")],
    role: Annotated[Role, typer.Option(help="The user's role.")],
    display_name: Annotated[str, typer.Option(help="Full name.")] = "",
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, envvar="REPATRIA_NEW_PASSWORD"
        ),
    ] = "",
) -> None:
    """Create a user in an organisation, in any role (administrators and auditors only
    here: the installation's operator creates them)."""
    command = CreateUser(
        username=username,
        display_name=display_name or username,
        password=password,
        role=role,
        organisation_code=organisation,
    )
    container = build()
    with container.uow() as uow:
        user = accounts.create_user(uow, OPERATOR, command)
        uow.commit()
    console.print(f"created user {user.username} ({user.role.value}) in {organisation}")


@tokens_app.command("create")
@cli_errors
def tokens_create(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api token",
    days: Annotated[int, typer.Option(help="Days until it expires (1-366).")] = 30,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="The token may read, and change nothing.")
    ] = False,
    password: Annotated[
        str,
        typer.Option(prompt="The user's password", hide_input=True, envvar="REPATRIA_PASSWORD"),
    ] = "",
) -> None:
    """Issue an API token for a user who gives their password (nobody makes one for another
    user); it is printed once and stored only as a hash."""
    container = build()
    passwords_off = oidc_providers.passwords_off(container.settings.oidc_file)
    with container.uow() as uow:
        credential, raw = signing_in.issue_token_with_password(
            uow,
            username,
            password,
            name,
            days,
            passwords_off=passwords_off,
            read_only=read_only,
            key_roles=container.settings.require_security_key_roles,
        )
    kind = "read-only token" if credential.read_only else "token"
    console.print(
        f"{kind} {credential.id} for {username}, expires {credential.expires_at:%Y-%m-%d}"
    )
    typer.echo(raw)


@tokens_app.command("revoke")
@cli_errors
def tokens_revoke(token_id: int) -> None:
    """Revoke an API token by its id."""
    container = build()
    with container.uow() as uow:
        accounts.revoke_credential(uow, OPERATOR, token_id)
        uow.commit()
    console.print(f"token {token_id} revoked")


@people_app.command("import")
@cli_errors
def people_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    as_user: Annotated[str, typer.Option("--as", help="The case officer importing the file.")],
) -> None:
    """Import people from a CSV file: every row is checked first; one bad row imports nothing."""
    container = build()
    container.ensure_migrated()
    with container.uow() as uow:
        principal = importing.principal_for(uow, as_user)
        commands, problems = importing.validate_csv(file, principal)
        if problems:
            for problem in problems:
                fail(str(problem), INVALID_INPUT)
            raise fail(f"{len(problems)} bad row(s) in {file}; nothing was imported", INVALID_INPUT)
        taken = importing.existing_identifiers(uow, commands)
        if taken:
            listed = ", ".join(f"{s}:{v}" for s, v in sorted(taken))
            raise fail(
                f"identifiers: already recorded: {listed}; nothing was imported", INVALID_INPUT
            )
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("importing", total=len(commands))
            importing.write(uow, principal, commands, lambda: bar.advance(task))
        uow.commit()
    console.print(f"imported {len(commands)} people from {file}")
