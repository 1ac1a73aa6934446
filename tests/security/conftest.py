"""Fixtures for the attack-regression tests: a co-sign demo action and parallel bursts."""

import threading

import pytest
from flask import Blueprint, request

from portal.audit import log as audit
from portal.auth import cosign
from portal.foundation.access import roles_required
from portal.foundation.db import db, write_transaction
from tests.factories import make_pharmacy


@pytest.fixture
def cosign_app(app):
    """An app with a demo action a technician may do only with a pharmacist's co-sign."""
    return add_approve_action(app)


@pytest.fixture
def limited_app(make_app):
    """An app with the per-address rate limits on (3 a minute) and the co-sign demo action."""
    application = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with application.app_context():
        make_pharmacy()
        yield add_approve_action(application)


def add_approve_action(app):
    demo = Blueprint("attack_demo", __name__)

    @demo.route("/demo/approve/<int:fill_id>", methods=["POST"])
    @roles_required("technician", "pharmacist")
    def approve(fill_id):
        signoff = cosign.require_pharmacist()
        if not signoff:
            return f"refused: {signoff.error}", 200
        with write_transaction(), signoff:
            audit.record("verify", "fill", fill_id, patient_id=1)
        return f"approved by {signoff.signer.full_name} ({request.remote_addr})"

    app.register_blueprint(demo)
    return app


@pytest.fixture
def client_at(app):
    """client_at(terminal) -> a new test client (its own cookie jar, so threads share
    nothing) on that counter terminal, from a network address."""

    def make(terminal, address="127.0.0.1"):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        with client.session_transaction() as session:
            session["terminal"] = terminal.terminal
        return client

    return make


@pytest.fixture
def burst():
    return send_together


def send_together(requests):
    """Run the callables all at once, one thread each (released together by a barrier), as
    an attacker's parallel requests would arrive; returns their results in order."""
    results = [None] * len(requests)
    start = threading.Barrier(len(requests))

    def run(index, send):
        start.wait()
        try:
            results[index] = send()
        finally:
            if not db.is_closed():
                db.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
