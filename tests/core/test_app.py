"""The app factory, configuration, health check and error pages."""

import json
import os
import stat

import pytest

from portal import create_app
from portal.audit.models import AuditEvent
from portal.pharmacy.models import Pharmacy


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    config = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("IDLE_LOCK_MINUTES = 9\nPIN_MAX_FAILURES = 7\n")
    monkeypatch.setenv("PORTAL_IDLE_LOCK_MINUTES", "3")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite:///:memory:"})
    assert app.config["IDLE_LOCK_MINUTES"] == 3
    assert app.config["PIN_MAX_FAILURES"] == 7


def test_default_database_is_sqlite_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/portal.db"


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/no/such/dir/portal.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.data)
    assert body["status"] == "error"
    assert body["database"].startswith("unreachable")


def test_not_found_page_uses_the_layout(client_as):
    response = client_as("technician").get("/no/such/page")
    assert response.status_code == 404
    assert b"Not found" in response.data
    assert b'class="topbar"' in response.data


def test_server_error_rolls_back_and_hides_the_trace(app, client_as):
    @app.route("/explode")
    def explode():
        from portal.foundation.db import db

        with db.atomic():
            Pharmacy.update(name="Changed").execute()
            raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client_as("technician").get("/explode")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data
    assert Pharmacy.current().name != "Changed"


def test_pharmacy_details_are_admin_only_and_audited(client_as):
    technician = client_as("technician")
    assert technician.get("/admin/pharmacy").status_code == 403
    admin = client_as("admin")
    page = admin.get("/admin/pharmacy")
    assert b"Elm Street Compounding Pharmacy" in page.data
    data = {
        "name": "Elm Street Pharmacy",
        "address_line1": "120 Elm Street",
        "address_line2": "",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "phone": "(217) 555-0142",
        "fax": "",
        "npi": "1234567893",
        "ncpdp_id": "1456789",
        "dea": "",
        "time_zone": "America/Chicago",
    }
    response = admin.post("/admin/pharmacy", data=data)
    assert response.status_code == 302
    assert Pharmacy.current().name == "Elm Street Pharmacy"
    event = (
        AuditEvent.select()
        .where(AuditEvent.entity == "pharmacy")
        .order_by(AuditEvent.id.desc())
        .get()
    )
    assert event.action == "update"
    assert event.user_id == admin.user.id
    assert event.before_data()["name"] == "Elm Street Compounding Pharmacy"
    assert event.after_data()["name"] == "Elm Street Pharmacy"


@pytest.mark.parametrize("path", ["/", "/admin/pharmacy"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
