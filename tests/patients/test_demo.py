"""`flask demo load`: a demo pharmacy on an empty database, refused on real data."""

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.passwords import check_secret
from portal.foundation import demo as demo_data
from portal.patients import demo
from portal.patients.models import Allergy, Coverage, Patient, Payer
from portal.pharmacy.models import Pharmacy
from tests.factories import make_patient, make_user


def test_demo_fills_an_empty_database(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert Pharmacy.current().name == demo.DEMO_PHARMACY["name"]
    for username, _, roles, pin in demo.DEMO_STAFF:
        user = User.get(User.username == username)
        assert user.roles == roles
        assert check_secret(user.password_hash, demo.DEMO_PASSWORD)
        assert check_secret(user.pin_hash, pin)
        assert f"PIN {pin}" in result.output
    assert Patient.select().count() == 30
    assert Payer.select().count() == len(demo.sample_data.PAYERS)
    allergens = {a.allergen for a in Allergy.select()}
    assert {"sulfonamides", "NSAIDs", "parabens"} <= allergens
    statuses = {p.allergy_status for p in Patient.select()}
    assert statuses == {"has_allergies", "nkda", "not_asked"}
    for patient in Patient.select():
        assert (patient.allergy_status == "has_allergies") == patient.allergies.exists()
    assert Coverage.select().count() >= 25
    assert AuditEvent.select().where(AuditEvent.entity == "patient").count() >= 30


def test_demo_is_allowed_beside_the_setup_administrator_only(app):
    make_user(roles=("admin", "manager"))
    assert demo.real_data_reason() is None
    make_user(roles=("technician",))
    assert demo.real_data_reason() == "it already has more than one user"


def test_demo_refuses_a_database_with_patients_and_a_second_run(app):
    make_patient()
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "it already has patients" in result.output
    assert Patient.select().count() == 1


def test_demo_refuses_to_run_twice(bare_app):
    runner = bare_app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code != 0 and "Not loading demo data" in again.output
    assert Patient.select().count() == 30


def test_demo_runs_the_loaders_areas_add_in_order(bare_app):
    called = []
    demo_data.add_loader(bare_app, lambda: called.append("extra") or "extra: 12 things")
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert called == ["extra"]
    assert result.output.strip().endswith("extra: 12 things")
    assert (
        result.output.index("patients")
        < result.output.index("claims")
        < result.output.index("extra")
    )
