"""The daily PMP file from the fills: new records, a void when a dispensing is reversed, a
revision when it changes, the zero report, the file kept owner-only and logged with its
hash, and the page that makes and downloads it."""

import hashlib
import stat
from datetime import date, datetime, timedelta
from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.foundation.dates import utcnow
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Fill
from portal.reports.pmp import asap, submit
from portal.reports.pmp.models import PmpRecord, PmpSubmission
from tests.factories import (
    advance_fill,
    make_c2_product,
    make_fill,
    make_pharmacy,
    make_prescription,
    make_user,
)


def _dispensed_c2(pharmacist=None) -> Fill:
    product = make_c2_product()
    fill = make_fill(
        make_prescription(
            product=product,
            sig="1 tab po q6h prn pain",
            quantity=Decimal(20),
            quantity_unit="tab",
            days_supply=5,
        )
    )
    advance_fill(fill, "ready", pharmacist=pharmacist)
    return Fill.get_by_id(fill.id)


def _dsp(submission):
    text = submit.file_path(submission).read_text()
    return [s for s in asap.parse(text) if s[0] == "DSP"], text


def test_a_days_dispensings_are_sent_once_as_new_records(app):
    make_pharmacy()
    fill = _dispensed_c2()
    first = submit.make_file(fill.filled_on, now=utcnow())
    [dsp], text = _dsp(first)
    assert dsp[1:3] == ["00", str(fill.prescription.rx_number)]
    assert first.record_count == 1
    assert first.sha256 == hashlib.sha256(text.encode()).hexdigest()
    mode = stat.S_IMODE(submit.file_path(first).stat().st_mode)
    assert mode == 0o600
    again = submit.make_file(fill.filled_on, now=utcnow())
    assert again.record_count == 0  # nothing new, nothing changed: a zero report
    assert "REPORT*ZERO" in submit.file_path(again).read_text()


def test_a_reversed_dispensing_is_voided_with_the_values_first_sent(app):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",))
    fill = _dispensed_c2(pharmacist)
    submit.make_file(fill.filled_on, now=utcnow())
    steps.cancel(Fill.get_by_id(fill.id), pharmacist, "Patient never collected it")
    later = submit.make_file(
        fill.filled_on + timedelta(days=1), now=utcnow() + timedelta(seconds=1)
    )
    [dsp], _ = _dsp(later)
    assert dsp[1] == "02" and dsp[2] == str(fill.prescription.rx_number)
    assert dsp[9] == "20"  # the quantity as first sent
    assert PmpRecord.select().where(PmpRecord.reporting_status == "02").count() == 1
    third = submit.make_file(
        fill.filled_on + timedelta(days=2), now=utcnow() + timedelta(seconds=2)
    )
    assert third.record_count == 0  # a void is sent once


def test_a_changed_dispensing_is_sent_as_a_revision(app):
    make_pharmacy()
    fill = _dispensed_c2()
    submit.make_file(fill.filled_on, now=utcnow())
    stored = Fill.get_by_id(fill.id)
    stored.days_supply, stored.updated_at = 4, utcnow() + timedelta(seconds=1)
    stored.save()
    later = submit.make_file(
        fill.filled_on + timedelta(days=1), now=utcnow() + timedelta(seconds=2)
    )
    [dsp], _ = _dsp(later)
    assert dsp[1] == "01" and dsp[10] == "4"


def test_pmp_page_makes_and_downloads_the_file_refusing_today(client_as):
    make_pharmacy()
    pharmacist = client_as("pharmacist")
    yesterday = (date.today() - timedelta(days=1)).strftime("%m/%d/%Y")
    refused = pharmacist.post("/reports/pmp", data={"day": date.today().strftime("%m/%d/%Y")})
    assert refused.status_code == 422 and "a day that has ended" in refused.text
    bad = pharmacist.post("/reports/pmp", data={"day": "31/31/2026"})
    assert bad.status_code == 422 and "MM/DD/YYYY" in bad.text and "31/31/2026" in bad.text
    made = pharmacist.post("/reports/pmp", data={"day": yesterday})
    assert made.status_code == 302
    submission = PmpSubmission.get()
    page = pharmacist.get("/reports/pmp")
    assert "zero report" in page.text and submission.control_number in page.text
    download = pharmacist.get(f"/reports/pmp/{submission.id}/file")
    assert download.status_code == 200 and download.data.startswith(b"TH*4.2A*")
    assert AuditEvent.select().where(AuditEvent.action == "download").count() == 1


def test_a_pickup_after_the_file_is_sent_as_a_revision_with_the_local_date_sold(app):
    make_pharmacy(time_zone="America/Chicago")
    fill = _dispensed_c2()
    first = submit.make_file(fill.filled_on, now=utcnow())
    [dsp], _ = _dsp(first)
    assert len(dsp) <= 17 or dsp[17] == ""  # not sold yet: no DSP17
    advance_fill(Fill.get_by_id(fill.id), "picked_up")
    stored = Fill.get_by_id(fill.id)
    # 03:30 UTC on the 5th is 21:30 on the 4th in Chicago: the pharmacy's day is the 4th.
    stored.picked_up_at = datetime(2026, 3, 5, 3, 30)
    stored.updated_at = utcnow() + timedelta(seconds=1)
    stored.save()
    later = submit.make_file(
        fill.filled_on + timedelta(days=1), now=utcnow() + timedelta(seconds=2)
    )
    [dsp], _ = _dsp(later)
    assert dsp[1] == "01" and dsp[5] == fill.filled_on.strftime("%Y%m%d")
    assert dsp[17] == "20260304"
