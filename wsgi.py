"""WSGI entry point: `waitress-serve wsgi:app` or `gunicorn wsgi:app`."""

from portal import create_app
from portal.labels import start_workers

app = create_app()
start_workers(app)
