"""The cheap speed wins stay correct: pooled connections, one settings read per request,
WeasyPrint and pygal loaded only when first used, kept chart drawings."""

import subprocess
import sys
import textwrap

import pytest
from playhouse.test_utils import count_queries

from portal.auth.models import TerminalSession, User
from portal.foundation import settings
from portal.foundation.dates import utcnow
from portal.foundation.db import Prepared, db
from portal.foundation.settings import Setting
from portal.pharmacy.models import Pharmacy
from tests.factories import make_user, sign_in


def test_requests_reuse_one_pooled_connection(app, client_as):
    client = client_as("technician")
    pool = app.extensions["database"]
    for _ in range(5):
        assert client.get("/").status_code == 200
    # Each request handed its connection back; the next took the same one.
    assert len(pool._in_use) == 0
    assert len(pool._connections) == 1


def test_a_request_left_in_a_transaction_is_rolled_back_before_its_connection_returns(
    app, client_as
):
    @app.route("/left-open")
    def left_open():
        db.begin()
        Pharmacy.update(name="Half-done").execute()
        return "left open"

    client = client_as("technician")
    assert client.get("/left-open").status_code == 200
    assert client.get("/").status_code == 200  # the next request takes the same connection
    assert Pharmacy.current().name != "Half-done"


def test_settings_are_read_once_per_request(app, client_as):
    client = client_as("technician")
    with db.atomic():
        settings.put("idle_lock_minutes", 9)
    seen = []

    @app.route("/settings-reads")
    def settings_reads():
        with count_queries() as counted:
            for _ in range(4):
                seen.append(settings.get("idle_lock_minutes"))
                settings.is_chosen("idle_lock_minutes")
        return str(len([q for q in counted.get_queries() if "setting" in q.msg[0]]))

    # The idle lock's before_request has already read the table: none here.
    assert client.get("/settings-reads").data == b"0"
    assert seen == [9, 9, 9, 9]


def test_a_setting_put_during_a_request_is_read_back_changed(app, client_as):
    client = client_as("technician")

    @app.route("/put-then-get")
    def put_then_get():
        before = settings.get("idle_lock_minutes")
        with db.atomic():
            settings.put("idle_lock_minutes", before + 3)
        return f"{before}->{settings.get('idle_lock_minutes')}"

    default = settings.DEFINITIONS["idle_lock_minutes"].default
    assert client.get("/put-then-get").data.decode() == f"{default}->{default + 3}"


def test_a_change_made_elsewhere_is_seen_by_the_next_request(app, client_as):
    client = client_as("technician")

    @app.route("/idle-setting")
    def idle_setting():
        return str(settings.get("idle_lock_minutes"))

    assert (
        client.get("/idle-setting").data
        == b"%d" % settings.DEFINITIONS["idle_lock_minutes"].default
    )
    # Another terminal (another thread or process) writes the row directly.
    Setting.create(key="idle_lock_minutes", value="11")
    assert client.get("/idle-setting").data == b"11"


def test_the_app_starts_without_loading_what_it_loads_on_first_use(tmp_path):
    """WeasyPrint, pygal, paramiko and limits (with the asyncio it brings) load on the first
    label, chart, PMP upload or sign-in attempt; the time zone list on the settings form;
    each route's address builder on its first address. The garbage collector is paused while
    the app is built."""
    script = textwrap.dedent(
        f"""
        import sys
        from flask import url_for
        from werkzeug.routing import Rule
        compiled = []
        compile_builder = Rule._compile_builder
        def counted(rule, append_unknown=True):
            compiled.append(rule.endpoint)
            return compile_builder(rule, append_unknown)
        Rule._compile_builder = counted
        from portal import create_app
        app = create_app({{"DATABASE_URL": "sqlite:///{tmp_path}/p.db",
                          "INSTANCE_PATH": "{tmp_path}/instance", "SECRET_KEY": "x"}})
        assert app.config["LABELS_HARFBUZZ_OK"] in (True, False)
        heavy = ("weasyprint", "pygal", "paramiko", "limits", "asyncio")
        loaded = sorted(m for m in heavy if m in sys.modules)
        from portal.pharmacy import forms
        assert forms.us_zones.cache_info().currsize == 0, "time zones listed at start"
        # Only Flask's own static route (added before the portal's rule class is set) has
        # its two builders; the queue's address compiles one more.
        assert compiled == ["static", "static"], compiled
        with app.test_request_context():
            assert url_for("prescriptions.queue") == "/queue"
        assert compiled == ["static", "static", "prescriptions.queue"], compiled
        # The collector was paused while the app was built, and runs again; the first app
        # is kept out of its way, a second one (tests build thousands) is not.
        import gc
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
        assert frozen > 100_000, frozen
        create_app({{"DATABASE_URL": "sqlite:///{tmp_path}/p.db",
                    "INSTANCE_PATH": "{tmp_path}/instance", "SECRET_KEY": "x"}})
        assert gc.get_freeze_count() <= frozen and gc.isenabled()
        print(",".join(loaded) or "none")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"


def test_pooled_connections_serve_requests_on_other_threads(app):
    """A server's threads take whichever pooled connection is free: one opened on another
    thread must work (sqlite3 refuses by default)."""
    from tests.security.concurrency import at_once, signed_in_clients

    clients = signed_in_clients(app, 4, "technician")
    for _ in range(3):  # the later rounds' new threads get the first round's connections
        responses = at_once([lambda c=client: c.get("/") for client in clients])
        assert [r.status_code for r in responses] == [200] * 4
    assert len(app.extensions["database"]._connections) >= 1


def test_the_terminal_read_at_every_request_finds_the_same_rows_as_a_built_query(app):
    """The terminal's SQL is built once and run with each cookie's id: each id still finds
    its own live terminal and acting user, an ended one finds nothing."""
    ana, ben = make_user(full_name="Ana Ruiz"), make_user(full_name="Ben Okafor")
    first = sign_in(app.test_client(), ana)
    second = sign_in(app.test_client(), ben)
    ended = sign_in(app.test_client(), ana)
    TerminalSession.update(ended_at=utcnow()).where(TerminalSession.id == ended.id).execute()

    for terminal, name in ((first, "Ana Ruiz"), (second, "Ben Okafor"), (first, "Ana Ruiz")):
        found = TerminalSession.open(terminal.terminal)
        built = (
            TerminalSession.select(TerminalSession, User)
            .join(User, on=(TerminalSession.user == User.id))
            .where(TerminalSession.terminal == terminal.terminal)
            .get()
        )
        assert (found.id, found.user.full_name) == (built.id, name)
        assert found.__data__ == built.__data__
        assert found.user.__data__ == built.user.__data__
    assert TerminalSession.open(ended.terminal) is None
    assert TerminalSession.open("no-such-terminal") is None
    assert TerminalSession.open("") is None


def test_a_prepared_query_refuses_a_value_its_sql_does_not_carry_once():
    twice = Prepared(
        lambda name: Setting.select().where((Setting.key == name) | (Setting.value == name))
    )
    with pytest.raises(ValueError, match="once"):
        twice.rows("idle_lock_minutes")


def test_the_pharmacy_and_settings_read_at_every_request_see_changes_made_elsewhere(app, client_as):
    """Built once, the SQL still reads the table afresh: a change by another terminal shows."""
    client = client_as("technician")
    assert b"Elm Street Compounding Pharmacy" in client.get("/").data
    Pharmacy.update(name="Maple Avenue Pharmacy").execute()
    assert b"Maple Avenue Pharmacy" in client.get("/").data
    Setting.create(key="idle_lock_minutes", value="7")
    assert settings.get("idle_lock_minutes") == 7


def test_after_a_switch_the_terminal_read_brings_its_opener_without_another_statement(app):
    """PIN dialogs on every page check the lock of whoever signed the terminal in."""

    opener, acting = make_user(full_name="Ana Ruiz"), make_user(full_name="Ben Okafor")
    terminal = sign_in(app.test_client(), opener)
    TerminalSession.update(user=acting).where(TerminalSession.id == terminal.id).execute()
    with count_queries() as counted:
        found = TerminalSession.open(terminal.terminal)
        names = (found.user.full_name, found.signed_in_by.full_name)
        ids = (found.user_id, found.signed_in_by_id, found.signed_in_by.id)
    assert names == ("Ben Okafor", "Ana Ruiz")
    assert ids == (acting.id, opener.id, opener.id)
    assert len(counted.get_queries()) == 1
    assert found.signed_in_by.__data__ == User.get_by_id(opener.id).__data__


def test_a_stylesheet_or_script_reads_nothing_from_the_database(app, client_as):
    client = client_as("technician")
    assert client.get("/").status_code == 200  # the app's first request anchors the audit trail
    with count_queries() as counted:
        response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert counted.get_queries() == []


def test_the_menu_follows_a_change_of_roles_and_marks_the_page_it_is_on(app, client_as):
    """The menu is worked out once per set of roles: a role given or taken shows at once."""
    client = client_as("technician")
    page = client.get("/patients/search").get_data(as_text=True)
    menu = page.split('id="mainnav"')[1].split("</nav>")[0]
    assert 'href="/patients/search"\n       aria-current="page"' in menu
    assert 'href="/admin/staff/"' not in menu
    User.update(roles="technician admin").where(User.id == client.user.id).execute()
    menu = client.get("/").get_data(as_text=True).split('id="mainnav"')[1].split("</nav>")[0]
    assert 'href="/admin/staff/"' in menu and 'href="/admin/pharmacy"' in menu
    assert 'aria-current="page"' not in menu  # the start page is no menu entry's page
    menu = client.get("/admin/pharmacy").get_data(as_text=True).split('id="mainnav"')[1]
    assert 'href="/admin/pharmacy"\n       aria-current="page"' in menu.split("</nav>")[0]
