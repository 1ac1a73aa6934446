"""The `mortar` command: Flask's command line bound to this app, so `mortar db upgrade`,
`mortar serve`, `mortar backup PATH` ... need no `--app`. Also `serve`, which `make run`
uses too (`flask --app portal serve`)."""

import os

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup


def init_app(app: Flask) -> None:
    @app.cli.command("serve")
    @click.option("--host", default=lambda: os.environ.get("PORTAL_HOST", "127.0.0.1"))
    @click.option("--port", type=int, default=lambda: int(os.environ.get("PORTAL_PORT", "5000")))
    @click.option("--threads", type=int, default=8, show_default=True)
    def serve_command(host: str, port: int, threads: int):
        """Serve the portal with waitress (as `make run` does; PORTAL_HOST, PORTAL_PORT)."""
        from waitress import serve

        app = current_app._get_current_object()
        click.echo(f"Mortar on http://{host}:{port}/")
        # Waitress drops X-Forwarded-* unless told otherwise; behind a proxy the app reads
        # them itself (ProxyFix, one hop: auth/security.py).
        serve(
            app,
            host=host,
            port=port,
            threads=threads,
            clear_untrusted_proxy_headers=not app.config.get("TRUST_PROXY"),
        )


def main() -> None:
    """Entry point of the `mortar` console script."""
    from portal import create_app

    cli = FlaskGroup(
        name="mortar",
        create_app=lambda: create_app(),
        add_version_option=False,
        help="Mortar, the pharmacy portal. Settings come from PORTAL_* variables "
        "(PORTAL_INSTANCE_PATH: where the database and keys live).",
    )
    cli.main(prog_name="mortar")
