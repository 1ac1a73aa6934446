"""The `mortar` command: Flask's command line bound to this app, so `mortar db upgrade`,
`mortar serve`, `mortar backup PATH` ... need no `--app`. It stands above the app factory,
as wsgi.py does."""

from flask.cli import FlaskGroup

from portal import create_app


def main() -> None:
    """Entry point of the `mortar` console script."""
    cli = FlaskGroup(
        name="mortar",
        create_app=lambda: create_app(),
        add_version_option=False,
        help="Mortar, the pharmacy portal. Settings come from PORTAL_* variables "
        "(PORTAL_INSTANCE_PATH: where the database and keys live).",
    )
    cli.main(prog_name="mortar")
