"""The operator's account commands: organisations, and users' roles, access, passwords and
security keys.

The CLI runs on the server without an API principal: it acts as the installation's
operator, the only one who creates organisations, administrators and auditors.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.bootstrap import build
from repatria.domain.accounts import Principal, Role
from repatria.entrypoints.cli.errors import cli_errors
from repatria.services import accounts, security_keys, users
from repatria.services import login as signing_in
from repatria.services.commands import CreateOrganisation
from repatria.services.unit_of_work import UnitOfWork

OPERATOR = Principal.system("operator")
organisations_app = typer.Typer(help="Organisations (the operator's).", no_args_is_help=True)
user_commands = typer.Typer()
console = Console(soft_wrap=True)
Reason = Annotated[str, typer.Option(help="Why, for the record.")]


def _user_id(uow: UnitOfWork, username: str) -> int:
    return users.id_of(uow, username)


@organisations_app.command("create")
@cli_errors
def organisations_create(
    code: str,
    name: Annotated[str, typer.Option(help="The organisation's full name.")],
    state: Annotated[str, typer.Option(help="Its state (ISO 3166-1 alpha-2).")],
) -> None:
    """Create an organisation of one state."""
    command = CreateOrganisation(code=code, name=name, state=state.upper())
    with build().uow() as uow:
        accounts.create_organisation(uow, OPERATOR, command)
        uow.commit()
    console.print(f"created organisation {code} of {command.state}")


@organisations_app.command("list")
@cli_errors
def organisations_list() -> None:
    """Every organisation with its state."""
    table = Table("code", "state", "name")
    with build().uow(read_only=True) as uow:
        for organisation in accounts.list_organisations(uow):
            table.add_row(organisation.code, organisation.state, organisation.name)
    console.print(table)


@user_commands.command("list")
@cli_errors
def users_list() -> None:
    """Every user with role, state and whether they may sign in."""
    table = Table("username", "role", "state", "active")
    with build().uow(read_only=True) as uow:
        for user in users.list_users(uow, OPERATOR):
            state = users.state_of(user)
            table.add_row(user.username, user.role.value, state, "yes" if user.active else "no")
    console.print(table)


@user_commands.command("set-role")
@cli_errors
def users_set_role(
    username: str, role: Annotated[Role, typer.Option(help="The new role.")]
) -> None:
    """Give a user another role."""
    with build().uow() as uow:
        users.change_role(uow, OPERATOR, _user_id(uow, username), role)
        uow.commit()
    console.print(f"{username} is now {role.value}")


@user_commands.command("deactivate")
@cli_errors
def users_deactivate(username: str, reason: Reason = "") -> None:
    """Stop a user signing in; every session and token of theirs ends now."""
    with build().uow() as uow:
        users.deactivate(uow, OPERATOR, _user_id(uow, username), reason)
        uow.commit()
    console.print(f"{username} deactivated; every session and token ended")


@user_commands.command("reactivate")
@cli_errors
def users_reactivate(username: str, reason: Reason = "") -> None:
    """Let a deactivated user sign in again."""
    with build().uow() as uow:
        users.reactivate(uow, OPERATOR, _user_id(uow, username), reason)
        uow.commit()
    console.print(f"{username} reactivated")


@user_commands.command("reset-password")
@cli_errors
def users_reset_password(username: str) -> None:
    """Print a one-time password that only lets the user set a new one."""
    with build().uow() as uow:
        _, one_time = users.reset_password(uow, OPERATOR, _user_id(uow, username))
        uow.commit()
    console.print(f"one-time password for {username} (they must set a new one):")
    typer.echo(one_time)


@user_commands.command("remove-security-keys")
@cli_errors
def users_remove_security_keys(username: str, reason: Reason = "") -> None:
    """Remove every security key and recovery code of a user who lost them all; where the
    role requires a key, they register one again at their next sign-in."""
    with build().uow() as uow:
        removed = security_keys.remove_all(uow, OPERATOR, _user_id(uow, username), reason)
        uow.commit()
    console.print(f"{removed} security key(s) and every recovery code of {username} removed")


@user_commands.command("change-password")
@cli_errors
def users_change_password(
    username: str,
    current: Annotated[
        str, typer.Option(prompt=True, hide_input=True, envvar="REPATRIA_PASSWORD")
    ] = "",
    new: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, envvar="REPATRIA_NEW_PASSWORD"
        ),
    ] = "",
) -> None:
    """Set a new password, the current (or one-time) one required; every session ends."""
    with build().uow() as uow:
        signing_in.change_password(uow, username, current, new, "cli")
    console.print(f"password of {username} changed; sign in again")
