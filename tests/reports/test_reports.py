"""Reports with real work behind them: staff activity, the controlled-substance log and its
CSV (audited), the stock value."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.foundation.dates import local_today
from portal.prescriptions.fills import steps
from portal.reports import inventory, staff
from portal.reports.periods import Period
from tests.factories import (
    advance_fill,
    make_fill,
    make_ingredient,
    make_lot,
    make_patient,
    make_pharmacy,
    make_prescriber,
    make_prescription,
    make_product,
    make_user,
)


def _controlled_fill(technician, pharmacist, **patient_fields):
    oxycodone = make_product(
        name="Oxycodone Hydrochloride", strength="5 mg", dosage_form="tablet", schedule="2"
    )
    prescription = make_prescription(
        product=oxycodone,
        patient=make_patient(allergy_status="nkda", **patient_fields),
        prescriber=make_prescriber(last_name="Pruitt"),
        quantity=Decimal(20),
        quantity_unit="tab",
        days_supply=5,
        sig="1 tab po q6h prn pain",
        user=technician,
        schedule="2",
    )
    fill = make_fill(prescription)
    return advance_fill(fill, "ready", pharmacist=pharmacist, technician=technician)


def test_staff_activity_counts_each_persons_steps(app):
    pharmacy = make_pharmacy()
    tina = make_user(roles=("technician",), full_name="Tina Tran")
    paul = make_user(roles=("pharmacist",), full_name="Paul Patel")
    advance_fill(make_fill(make_prescription(user=tina)), "ready", pharmacist=paul, technician=tina)
    returned = make_fill(make_prescription(user=tina))
    steps.return_data(returned, paul, "Wrong strength", [])

    today = local_today(pharmacy.time_zone)
    rows = staff.activity(*Period(today, today).utc_bounds(pharmacy.time_zone))
    by_name = {row.user.full_name: row.counts for row in rows}
    assert by_name["Paul Patel"]["data_checked"] == 1  # the return (advance_fill moves directly)
    assert by_name["Paul Patel"]["returned"] == 1
    assert by_name["Tina Tran"]["filled"] == 1
    assert rows[0].total >= rows[-1].total

    yesterday = today - timedelta(days=1)
    assert staff.activity(*Period(yesterday, yesterday).utc_bounds(pharmacy.time_zone)) == []


def test_staff_activity_page_is_for_managers(app, client_as):
    make_pharmacy()
    assert client_as("pharmacist").get("/reports/staff").status_code == 403
    page = client_as("manager").get("/reports/staff?preset=today")
    assert page.status_code == 200
    assert "Nobody recorded any work in this period." in page.get_data(as_text=True)


def test_the_controlled_log_lists_a_dispensed_c2_with_what_a_record_must_show(app, client_as):
    make_pharmacy()
    tina = make_user(roles=("technician",))
    paul = make_user(roles=("pharmacist",), full_name="Paul Patel")
    fill = _controlled_fill(tina, paul, last_name="Okafor", first_name="Grace")
    make_fill()  # not controlled: not in the log
    page = client_as("pharmacist").get("/reports/controlled?preset=today").get_data(as_text=True)
    assert f"{fill.prescription.rx_number}-0" in page
    assert "Okafor, Grace" in page
    assert "C-II" in page
    assert "Oxycodone Hydrochloride" in page
    assert "Paul Patel" in page
    assert "DEA " in page
    assert page.count("<tr>") == 2  # heading + one fill


def test_the_controlled_log_filters_by_schedule(app, client_as):
    make_pharmacy()
    _controlled_fill(make_user(roles=("technician",)), make_user(roles=("pharmacist",)))
    page = client_as("manager").get("/reports/controlled?preset=today&schedule=4")
    assert "No controlled substances of these schedules" in page.get_data(as_text=True)


def test_the_controlled_csv_is_audited_and_defuses_formulas(app, client_as):
    make_pharmacy()
    _controlled_fill(
        make_user(roles=("technician",)),
        make_user(roles=("pharmacist",)),
        last_name="=HYPERLINK(1)",
        first_name="Ann",
    )
    manager = client_as("manager")
    response = manager.get("/reports/controlled.csv?preset=today")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    assert rows[0]["schedule"] == "C-II"
    assert rows[0]["patient"].startswith("'=HYPERLINK")
    assert rows[0]["prescriber_dea"]
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (event.action, event.entity, event.user_id) == ("export", "fill", manager.user.id)


def test_stock_value_multiplies_on_hand_by_cost_and_keeps_expired_apart(app):
    pharmacy = make_pharmacy()
    today = local_today(pharmacy.time_zone)
    tablets = make_product(package_size=Decimal(100), acquisition_cost=Decimal("12.00"))
    make_lot(tablets, quantity=Decimal(250), expires_on=today + timedelta(days=300))
    powder = make_ingredient(cost_per_unit=Decimal("0.5000"))
    lot = make_lot(powder, quantity=Decimal("40"), expires_on=today + timedelta(days=2))
    uncosted = make_ingredient(cost_per_unit=None)
    make_lot(uncosted, quantity=Decimal(5), expires_on=today + timedelta(days=90))

    found = inventory.valuation(today)
    assert found.usable_total == Decimal("50.00")  # 250 × 0.12 + 40 × 0.50
    assert found.expired_total == Decimal("0.00")
    assert [row.item.id for row in found.without_cost] == [uncosted.id]

    later = inventory.valuation(lot.expires_on + timedelta(days=1))
    assert later.usable_total == Decimal("30.00")
    assert later.expired_total == Decimal("20.00")


def test_stock_value_page(app, client_as):
    make_pharmacy()
    make_lot(make_product(name="Sertraline", acquisition_cost=Decimal("3.00")))
    page = client_as("pharmacist").get("/reports/inventory").get_data(as_text=True)
    assert "Sertraline" in page
    assert "$3.00" in page
    assert client_as("technician").get("/reports/inventory").status_code == 403
