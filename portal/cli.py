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
        from waitress.server import create_server

        from portal.labels import start_workers
        from portal.migrate import pending

        waiting = pending()
        if waiting:
            # Every page would fail on a missing table or column: say what to run instead.
            raise click.ClickException(
                f"the database has {len(waiting)} migration(s) not applied "
                f"(first: {waiting[0]}): run `mortar db upgrade` (make run does it), then serve"
            )
        app = current_app._get_current_object()
        start_workers(app)
        click.echo(f"Mortar on http://{host}:{port}/")
        # Waitress drops X-Forwarded-* unless told otherwise; behind a proxy the app reads
        # them itself (ProxyFix, one hop: auth/security.py).
        # Not waitress.serve(): it calls logging.basicConfig(), and every portal line would
        # print a second time, unstructured, tracebacks included. Waitress's own logger has
        # the portal's JSON handlers (foundation/logs.py).
        server = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            clear_untrusted_proxy_headers=not app.config.get("TRUST_PROXY"),
        )
        server.run()
