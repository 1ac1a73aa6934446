"""`serve`: waitress as `make run` (`flask --app portal serve`) and `mortar serve` run it.
The `mortar` console script itself is portal/console.py."""

import os

import click
from flask import Flask, current_app


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
