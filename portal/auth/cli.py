"""`flask --app portal user ...`: staff accounts from the command line (audited like the pages)."""

import click
from flask import Flask

from portal.auth import accounts
from portal.auth.models import ROLES, User
from portal.foundation.db import connection


def _user(username: str) -> User:
    user = User.get_or_none(User.username == username.strip().lower())
    if user is None:
        raise click.ClickException(f"No account with username {username}.")
    return user


def _run(change):
    try:
        return change()
    except accounts.AccountError as error:
        raise click.ClickException(str(error))


def init_app(app: Flask) -> None:
    group = click.Group("user", help="Staff accounts.")

    @group.command("create")
    @click.argument("username")
    @click.option("--name", "full_name", prompt="Full name", help="The person's full name.")
    @click.option(
        "--role",
        "roles",
        multiple=True,
        required=True,
        type=click.Choice(ROLES),
        help="A role; repeat for several (e.g. --role pharmacist --role admin).",
    )
    @click.option(
        "--last-name",
        default="",
        help='The last name as the state PMP report sends it (e.g. "de la Cruz"); '
        "without it, the last word of the full name.",
    )
    @click.option(
        "--first-name",
        default="",
        help="The first name as the state PMP report sends it; needs --last-name.",
    )
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option(
        "--pin",
        prompt="Quick-switch PIN (4-8 digits, empty for none)",
        default="",
        hide_input=True,
        show_default=False,
    )
    def create_command(username, full_name, roles, last_name, first_name, password, pin):
        """Create an account for USERNAME."""
        with connection():
            user = _run(
                lambda: accounts.create_user(
                    username,
                    full_name,
                    roles,
                    password,
                    pin or None,
                    last_name=last_name,
                    first_name=first_name,
                )
            )
        click.echo(
            f"created {user.username} ({user.full_name}; last name {user.last_name!r}, "
            f"first name {user.first_name!r}): {user.roles}"
        )

    @group.command("deactivate")
    @click.argument("username")
    def deactivate_command(username):
        """Deactivate USERNAME (signed out everywhere; kept for the audit trail)."""
        with connection():
            user = _user(username)
            _run(lambda: accounts.set_active(user, False))
        click.echo(f"deactivated {user.username}")

    @group.command("reactivate")
    @click.argument("username")
    def reactivate_command(username):
        """Reactivate USERNAME."""
        with connection():
            user = _user(username)
            _run(lambda: accounts.set_active(user, True))
        click.echo(f"reactivated {user.username}")

    @group.command("reset-pin")
    @click.argument("username")
    @click.option("--pin", prompt="New PIN (4-8 digits)", hide_input=True, confirmation_prompt=True)
    def reset_pin_command(username, pin):
        """Give USERNAME a new PIN (and clear a PIN lockout)."""
        with connection():
            user = _user(username)
            _run(lambda: accounts.set_pin(user, pin))
        click.echo(f"PIN changed for {user.username}")

    @group.command("reset-password")
    @click.argument("username")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def reset_password_command(username, password):
        """Give USERNAME a new password."""
        with connection():
            user = _user(username)
            _run(lambda: accounts.set_password(user, password))
        click.echo(f"password changed for {user.username}")

    @group.command("list")
    def list_command():
        """List every account."""
        with connection():
            for user in User.staff_list():
                state = "active" if user.active else "deactivated"
                click.echo(f"{user.username:20} {user.full_name:30} {user.roles:35} {state}")

    app.cli.add_command(group)
