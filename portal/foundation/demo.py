"""`flask --app portal demo load`: each area adds the demo data it owns; the command runs them
in the order the areas are set up, in one transaction, on an empty database only.

An area adds a loader (returns a line to print, or several) and, where its own data makes a
database "real", a refusal (returns why, or None). Areas know nothing of each other's demo.
"""

from collections.abc import Callable

import click
from flask import Flask, current_app

from portal.foundation.db import connection, write_transaction


def _registry(app: Flask) -> dict:
    return app.extensions.setdefault("portal_demo", {"loaders": [], "refusals": []})


def add_loader(app: Flask, loader: Callable[[], str | list[str] | None]) -> None:
    _registry(app)["loaders"].append(loader)


def add_refusal(app: Flask, reason: Callable[[], str | None]) -> None:
    _registry(app)["refusals"].append(reason)


def real_data_reason() -> str | None:
    """Why this database must not get demo data, or None when it is empty enough."""
    for reason in _registry(current_app)["refusals"]:
        said = reason()
        if said:
            return said
    return None


def load() -> list[str]:
    """Run every area's loader; lines to print. Raises click.ClickException on real data."""
    lines: list[str] = []
    with write_transaction():
        reason = real_data_reason()
        if reason:
            raise click.ClickException(
                f"Not loading demo data: {reason}. The demo only goes into a new, empty database "
                "(e.g. PORTAL_DATABASE_URL=sqlite:////tmp/demo.db)."
            )
        for loader in _registry(current_app)["loaders"]:
            said = loader()
            if isinstance(said, str) and said:
                lines.append(said)
            elif said:
                lines.extend(said)
    return lines


def init_app(app: Flask) -> None:
    _registry(app)
    group = click.Group("demo", help="Demo data for trying the portal.")

    @group.command("load")
    def load_command():
        """Fill an EMPTY database with a demo pharmacy (refuses if it has real data)."""
        with connection():
            lines = load()
        click.echo("\n".join(lines))

    app.cli.add_command(group)
