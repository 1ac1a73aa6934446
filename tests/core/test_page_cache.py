"""Counter pages served again from their last rendering: never once anything under them moved."""

import re
from datetime import timedelta

from flask import g

from portal.claims.claims.models import Claim
from portal.foundation import page_cache
from portal.foundation.db import db, is_sqlite, write_transaction
from portal.pharmacy.models import Pharmacy
from portal.prescriptions.fills import steps
from tests.factories import advance_fill, make_claim, make_fill, make_patient, make_user, sign_in
from tests.security.concurrency import at_once, signed_in_clients

UNWATCHED = {"table_version", "terminal_session", "schema_migration", "audit_event"}


def _tables() -> set[str]:
    if is_sqlite():
        rows = db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {name for (name,) in rows if not name.startswith("sqlite_")}
    rows = db.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchall()
    return {name for (name,) in rows}


def _watched() -> set[str]:
    if is_sqlite():
        sql = (
            "SELECT tbl_name FROM sqlite_master"
            " WHERE type = 'trigger' AND substr(name, 1, 14) = 'table_version_'"
        )
    else:
        sql = (
            "SELECT event_object_table FROM information_schema.triggers"
            " WHERE substr(trigger_name, 1, 14) = 'table_version_'"
            " AND trigger_schema = current_schema()"
        )
    triggered = {name for (name,) in db.execute_sql(sql).fetchall()}
    counted = {name for (name,) in db.execute_sql("SELECT name FROM table_version").fetchall()}
    return triggered & counted


def test_every_table_moves_its_version(app):
    missing = _tables() - UNWATCHED - _watched()
    assert not missing, (
        f"tables without a version row and triggers: {sorted(missing)} (a migration that creates"
        " a table adds them: see watch() in migrations/0164_table_versions.py)"
    )


def test_a_write_moves_only_its_own_tables_version(app):
    before = page_cache.data_version(("claim",)), page_cache.data_version(("fill",))
    with write_transaction():
        make_fill()
    after = page_cache.data_version(("claim",)), page_cache.data_version(("fill",))
    assert after[0] == before[0]
    assert after[1] > before[1]


def test_a_write_moves_the_version_and_a_rollback_takes_it_back(app):
    before = page_cache.data_version()
    with write_transaction():
        make_patient()
    after = page_cache.data_version()
    assert after > before
    with db.atomic() as transaction:
        make_patient()
        transaction.rollback()
    assert page_cache.data_version() == after


def test_the_store_keeps_the_most_recently_used_within_its_size():
    store = page_cache.Store(max_bytes=800)  # bodies of up to 100 bytes kept
    for n in range(8):
        store.put((n,), bytes([n]) * 100, [])
    assert store.size == 800
    assert store.get((0,)) == (bytes([0]) * 100, [])  # now the most recently used
    store.put((8,), b"x" * 100, [])  # 900 bytes: the least recently used (1) goes
    assert store.get((1,)) is None
    assert all(store.get((n,)) is not None for n in (0, 2, 3, 4, 5, 6, 7, 8))
    assert store.size == 800
    store.put(("big",), b"x" * 101, [])  # over an eighth of the store: never kept
    assert store.get(("big",)) is None and store.size == 800


def _hits(app) -> int:
    return app.extensions["page_cache"].hits


def _warm(client, path: str):
    """Open path until it is kept: the first visit of a session writes its CSRF token into
    the session, and a rendering that changed the session is not kept."""
    client.get(path)
    return client.get(path)


def test_the_queue_is_served_again_until_a_fill_arrives(app, client_as):
    technician = client_as("technician")
    first = _warm(technician, "/queue")
    assert first.status_code == 200
    hits = _hits(app)
    again = technician.get("/queue")
    assert _hits(app) == hits + 1
    assert again.data == first.data

    with write_transaction():  # entered at another terminal
        fill = make_fill()
    page = technician.get("/queue?state=data_verify")
    assert fill.prescription.patient.last_name in page.get_data(as_text=True)
    page = technician.get("/queue")
    assert page.data != first.data
    assert _hits(app) == hits + 1


def test_a_pharmacy_setting_changed_elsewhere_shows_at_once(app, client_as):
    technician = client_as("technician")
    assert "Corner Pharmacy" not in _warm(technician, "/").get_data(as_text=True)
    with write_transaction():
        Pharmacy.update(name="Corner Pharmacy").execute()
    assert "Corner Pharmacy" in technician.get("/").get_data(as_text=True)


def test_each_terminal_and_user_gets_its_own_page(app, client_as):
    technician = client_as("technician", full_name="Tina Tech")
    pharmacist = client_as("pharmacist", full_name="Paul Pharmacist")
    assert "Tina Tech" in technician.get("/").get_data(as_text=True)
    page = pharmacist.get("/").get_data(as_text=True)
    assert "Paul Pharmacist" in page
    assert "Tina Tech" not in page


def test_a_flash_message_is_shown_once_never_kept(app, client_as):
    technician = client_as("technician")
    technician.get("/")
    with technician.session_transaction() as session:
        session["_flashes"] = [("success", "Label sent to the printer.")]
    assert "Label sent to the printer." in technician.get("/").get_data(as_text=True)
    assert "Label sent to the printer." not in technician.get("/").get_data(as_text=True)


def test_the_next_minute_renders_again(app, client_as, monkeypatch):
    technician = client_as("technician")
    _warm(technician, "/")
    hits = _hits(app)
    technician.get("/")
    assert _hits(app) == hits + 1
    later = page_cache.utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(page_cache, "utcnow", lambda: later)
    technician.get("/")
    assert _hits(app) == hits + 1


def test_a_page_that_writes_is_not_kept(make_app, client_as):
    app = make_app()
    from tests.factories import make_pharmacy

    with app.app_context():
        make_pharmacy()

    @app.route("/test/writes")
    @page_cache.kept
    def writes():
        with write_transaction():
            make_patient()
        return f"patient {g.user.username}"

    with app.app_context():
        from tests.factories import make_user, sign_in

        client = app.test_client()
        sign_in(client, make_user(roles=("technician",)))
        client.get("/test/writes")
        client.get("/test/writes")
        assert _hits(app) == 0
        assert app.extensions["page_cache"].size == 0


def test_turned_off_by_config(make_app):
    from tests.factories import make_pharmacy, make_user, sign_in

    app = make_app(PAGE_CACHE=False)
    with app.app_context():
        make_pharmacy()
        client = app.test_client()
        sign_in(client, make_user(roles=("technician",)))
        client.get("/queue")
        client.get("/queue")
        assert _hits(app) == 0


def test_a_fill_committed_while_another_terminal_reads_the_queue(app):
    """Two terminals at once: one keeps opening the queue while the other enters a fill;
    once the entry has committed the queue shows it, on either database."""
    (reader,) = signed_in_clients(app, 1, "technician")
    patient_names = []

    def enter():
        with app.app_context():
            with write_transaction():
                fill = make_fill()
            patient_names.append(fill.prescription.patient.last_name)

    def read():
        pages = []
        with app.app_context():
            for _ in range(5):
                pages.append(reader.get("/queue?state=data_verify").get_data(as_text=True))
        return pages

    at_once([enter, read])
    assert patient_names[0] in reader.get("/queue?state=data_verify").get_data(as_text=True)


def test_a_rejection_recorded_while_the_manager_reads_the_dashboard(app):
    """The dashboard kept under its own tables' versions: a claim rejected at another terminal
    while the manager keeps reloading shows once it has committed, on either database."""
    (reader,) = signed_in_clients(app, 1, "manager")
    with app.app_context():
        assert "Product/Service Not Covered" not in reader.get("/reports/claims").get_data(
            as_text=True
        )

    def enter():
        with app.app_context(), write_transaction():
            make_claim(status="rejected", reject_codes="70")

    def read():
        with app.app_context():
            return [reader.get("/reports/claims").status_code for _ in range(5)]

    _, statuses = at_once([enter, read])
    assert statuses == [200] * 5
    assert "Product/Service Not Covered" in reader.get("/reports/claims").get_data(as_text=True)


def test_no_kept_page_reads_the_audit_trail_or_a_table_it_does_not_name(app, monkeypatch):
    """The audit trail moves no version (migrations/0164_table_versions.py), so a page kept
    rendered must not show anything read from it; a page kept under the versions of the tables
    it names must read no other."""
    with write_transaction():
        fill = advance_fill(make_fill(), "final_verify")
        claim = make_claim(status="rejected")
        Claim.update(follow_up_on=claim.date_of_service).where(Claim.id == claim.id).execute()
    pages = {
        "pharmacy.home": "/",
        "prescriptions.queue": "/queue",
        "patients.search": "/patients/search?q=test",
        "prescriptions.fill_detail": f"/fills/{fill.id}",
        "prescriptions.verify_final": f"/fills/{fill.id}/verify-final",
        "claims.queue": "/claims/",
        "reports.claims_dashboard": "/reports/claims",
    }
    kept = {name for name, view in app.view_functions.items() if getattr(view, "kept_page", 0)}
    assert kept == set(pages), "a new kept page: add it here"
    reads = {name: app.view_functions[name].kept_reads for name in pages}

    tables = _tables()
    client = app.test_client()
    sign_in(client, make_user(roles=("technician", "pharmacist", "manager")))
    # What the views run, not the request's own work around them (the audit checkpoint's
    # after_request reads the chain's head; it shows nothing on the page).
    statements, rendering, requested = [], [], []
    execute_sql = db.obj.execute_sql

    def spy(sql, *args, **kwargs):
        requested.append(sql)
        if rendering:
            statements.append(sql)
        return execute_sql(sql, *args, **kwargs)

    def watched(view):
        def run(*args, **kwargs):
            rendering.append(True)
            try:
                return view(*args, **kwargs)
            finally:
                rendering.clear()

        return run

    monkeypatch.setattr(db.obj, "execute_sql", spy)
    for name in pages:
        monkeypatch.setitem(app.view_functions, name, watched(app.view_functions[name]))
    # The dashboard again for one payer over whole months and a part month at either end.
    filtered = f"/reports/claims?payer={claim.payer_id}&from=2025-11-15&to=2026-02-10"
    for name, path in [*pages.items(), ("reports.claims_dashboard", filtered)]:
        statements.clear()
        requested.clear()
        assert client.get(path).status_code == 200, name
        assert statements, name
        read = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
        assert not [sql for sql in read if "audit_event" in sql], name
        named = reads[name]
        if named:
            # A table's name as a word anywhere in a statement counts as read: stricter than
            # the FROM clauses alone. The terminal's own row is in the page's key.
            found = {t for sql in requested for t in tables if re.search(rf"\b{t}\b", sql)}
            unnamed = found - set(named) - {"table_version", "terminal_session"}
            assert not unnamed, f"{name} reads {sorted(unnamed)}: add them to its @kept(reads=...)"


def test_the_dashboard_is_kept_while_only_fills_change_and_shows_a_new_claim_at_once(
    app, client_as
):
    with write_transaction():
        fill = make_fill()
        technician = make_user(roles=("technician",))
    manager = client_as("manager")
    first = _warm(manager, "/reports/claims")
    hits = _hits(app)
    with write_transaction():  # the counter works on
        steps.hold(fill, technician, "Waiting on the prescriber")
    assert manager.get("/reports/claims").data == first.data
    assert _hits(app) == hits + 1

    with write_transaction():
        make_claim(status="rejected", reject_codes="70")
    page = manager.get("/reports/claims").get_data(as_text=True)
    assert _hits(app) == hits + 1
    assert page != first.get_data(as_text=True)
    assert "Product/Service Not Covered" in page  # NCPDP reject code 70
