"""A patient or prescriber edited, or a pharmacist's name corrected, after their dispensings
were reported: each dispensing already sent (and not voided) within the look-back is queued
and re-sent as a revision (ASAP 4.2A DSP01 "01") in the next daily file, logged; an edit of
something the PMP is not sent (an e-mail, a fax number) queues nothing."""

from datetime import timedelta

from portal.audit.models import AuditEvent
from portal.foundation import settings
from portal.foundation.dates import utcnow
from portal.prescriptions.fills import steps
from portal.prescriptions.fills.models import Fill
from portal.reports.pmp import asap, submit
from portal.reports.pmp.models import PmpRevisionDue
from tests.factories import hand_out_to_patient, make_pharmacy, make_user
from tests.reports.test_pmp_submissions import _dispensed_c2
from tests.security.concurrency import at_once


def _reported():
    make_pharmacy()
    fill = _dispensed_c2()
    submit.make_file(fill.filled_on, now=utcnow())
    return fill


def _next_file(fill, days=1):
    made = submit.make_file(fill.filled_on + timedelta(days=days), now=utcnow())
    return asap.parse(submit.file_path(made).read_text()), made


def _segment(parsed, name):
    return [s for s in parsed if s[0] == name]


def test_a_patients_new_address_is_sent_as_a_revision_in_the_next_file(client_as):
    fill = _reported()
    patient = fill.patient
    technician = client_as("technician")
    form = {
        "last_name": patient.last_name,
        "first_name": patient.first_name,
        "date_of_birth": patient.date_of_birth.strftime("%m/%d/%Y"),
        "sex": patient.sex,
        "address_line1": "12 New Street",
        "city": "Provo",
        "state": "UT",
        "postal_code": "84601",
    }
    response = technician.post(f"/patients/{patient.id}/edit", data=form)
    assert response.status_code == 302, response.text
    page = client_as("pharmacist").get("/reports/pmp").text
    assert "Revisions waiting for the next file" in page
    assert f"Rx {fill.rx_fill}: patient edited (patient address" in page
    (due,) = PmpRevisionDue.select()
    assert due.fill_id == fill.id and due.reason == "patient edited"
    assert "patient_address" in due.fields.split() and due.queued_by_id == technician.user.id
    logged = AuditEvent.get(AuditEvent.action == "pmp_revision_queued")
    assert logged.entity_id == str(fill.id) and logged.user_id == technician.user.id
    parsed, made = _next_file(fill)
    (dsp,) = _segment(parsed, "DSP")
    assert dsp[1] == asap.REVISE and dsp[2] == str(fill.prescription.rx_number)
    (pat,) = _segment(parsed, "PAT")
    assert pat[12] == "12 NEW STREET" and pat[14] == "PROVO"
    assert PmpRevisionDue.get_by_id(due.id).submission_id == made.id
    parsed, _ = _next_file(fill, days=2)
    assert _segment(parsed, "PAT")[0][7:9] == ["REPORT", "ZERO"]  # sent once


def test_an_edit_the_pmp_is_not_sent_queues_nothing(app):
    fill = _reported()
    patient = fill.patient
    patient.email = "new@example.com"
    patient.notes = "prefers mornings"
    patient.save()
    prescriber = fill.prescription.prescriber
    prescriber.fax = "801-555-0199"
    prescriber.save()
    assert PmpRevisionDue.select().count() == 0


def test_a_prescribers_new_dea_number_revises_their_reported_dispensings(app):
    fill = _reported()
    prescriber = fill.prescription.prescriber
    prescriber.last_name = "Newname"
    prescriber.save()
    (due,) = PmpRevisionDue.select()
    assert due.reason == "prescriber edited" and "prescriber_last" in due.fields
    parsed, _ = _next_file(fill)
    (pre,) = _segment(parsed, "PRE")
    assert "NEWNAME" in pre


def test_a_voided_or_unreported_dispensing_is_not_revised(app):
    fill = _reported()
    pharmacist = make_user(roles=("pharmacist",))
    steps.cancel(Fill.get_by_id(fill.id), pharmacist, "Patient never collected it")
    _next_file(fill)  # the void goes out
    patient = fill.patient
    patient.address_line1 = "99 Elsewhere"
    patient.save()
    assert PmpRevisionDue.select().count() == 0


def test_a_dispensing_not_yet_reported_is_sent_new_not_revised(app):
    make_pharmacy()
    fill = _dispensed_c2()
    patient = fill.patient
    patient.address_line1 = "99 Elsewhere"
    patient.save()
    assert PmpRevisionDue.select().count() == 0
    parsed, _ = _next_file(fill, days=0)
    assert _segment(parsed, "DSP")[0][1] == asap.NEW


def test_a_dispensing_older_than_the_look_back_is_left_as_sent(app):
    fill = _reported()
    Fill.update(filled_on=fill.filled_on - timedelta(days=400)).where(Fill.id == fill.id).execute()
    patient = fill.patient
    patient.city = "Ogden"
    patient.save()
    assert PmpRevisionDue.select().count() == 0
    settings.put("pmp.revision_days", 500)  # a state that wants older ones revised
    patient.city = "Logan"
    patient.save()
    assert PmpRevisionDue.select().count() == 1


def test_two_edits_before_the_file_queue_one_revision(app):
    fill = _reported()
    patient = fill.patient
    patient.city = "Ogden"
    patient.save()
    patient.city = "Logan"
    patient.save()
    assert PmpRevisionDue.select().count() == 1
    parsed, _ = _next_file(fill)
    (pat,) = _segment(parsed, "PAT")
    assert pat[14] == "LOGAN"


def _sent_and_collected(pharmacist):
    """A C-II final-verified by the pharmacist and collected with ID (so the file's AIR
    segment names the pharmacist), already sent in a PMP file."""
    fill = _dispensed_c2(pharmacist)
    hand_out_to_patient(fill, make_user(roles=("technician",)))
    return Fill.get_by_id(fill.id)


def _correct_name(admin_client, pharmacist, last_name, first_name):
    return admin_client.post(
        f"/admin/staff/{pharmacist.id}",
        data={
            "full_name": pharmacist.full_name,
            "last_name": last_name,
            "first_name": first_name,
            "roles": sorted(pharmacist.role_set),
        },
        follow_redirects=True,
    )


def test_a_pharmacists_corrected_name_revises_each_sent_dispensing_they_checked(client_as):
    make_pharmacy()
    maria = make_user(roles=("pharmacist",), full_name="Maria de la Cruz")
    other = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    sent = [_sent_and_collected(maria), _sent_and_collected(maria)]
    theirs = _sent_and_collected(other)
    submit.make_file(sent[0].filled_on, now=utcnow())
    not_yet_sent = _sent_and_collected(maria)  # dispensed after the file was made
    tomorrow = not_yet_sent.filled_on + timedelta(days=1)
    Fill.update(filled_on=tomorrow).where(Fill.id == not_yet_sent.id).execute()
    admin = client_as("admin", "manager")

    page = _correct_name(admin, maria, "de la Cruz", "Maria").get_data(as_text=True)

    assert "Name and roles saved." in page
    assert (
        "2 dispensings already sent to the state PMP will be sent again, with the corrected "
        "name, in the next daily file." in page
    )
    queued = list(PmpRevisionDue.select().order_by(PmpRevisionDue.fill_id))
    assert [due.fill_id for due in queued] == [fill.id for fill in sent]
    for due in queued:
        assert due.reason == "pharmacist name corrected"
        assert due.fields == "pharmacist_first pharmacist_last"
        assert due.queued_by_id == admin.user.id
    logged = AuditEvent.select().where(AuditEvent.action == "pmp_revision_queued")
    assert sorted(int(e.entity_id) for e in logged) == [fill.id for fill in sent]
    assert {e.user_id for e in logged} == {admin.user.id}
    renamed = AuditEvent.get((AuditEvent.entity == "user") & (AuditEvent.action == "update"))
    assert renamed.user_id == admin.user.id and '"de la Cruz"' in renamed.after

    parsed, made = _next_file(sent[0])
    dsp = _segment(parsed, "DSP")
    by_rx = {segment[2]: segment[1] for segment in dsp}
    assert by_rx == {
        str(sent[0].prescription.rx_number): asap.REVISE,
        str(sent[1].prescription.rx_number): asap.REVISE,
        str(not_yet_sent.prescription.rx_number): asap.NEW,
    }
    assert str(theirs.prescription.rx_number) not in by_rx  # another pharmacist's: as sent
    assert [air[9:11] for air in _segment(parsed, "AIR")] == [["DE LA CRUZ", "MARIA"]] * 3
    assert PmpRevisionDue.select().where(PmpRevisionDue.submission == made).count() == 2


def test_a_second_correction_before_the_file_queues_no_second_revision(client_as):
    make_pharmacy()
    maria = make_user(roles=("pharmacist",), full_name="Maria de la Cruz")
    fill = _sent_and_collected(maria)
    submit.make_file(fill.filled_on, now=utcnow())
    admin = client_as("admin")
    _correct_name(admin, maria, "de la Cruz", "Maria")
    page = _correct_name(admin, maria, "De la Cruz", "Maria").get_data(as_text=True)
    assert PmpRevisionDue.select().count() == 1
    assert "1 dispensing already sent to the state PMP will be sent again" in page
    parsed, _ = _next_file(fill)
    (air,) = _segment(parsed, "AIR")
    assert air[9:11] == ["DE LA CRUZ", "MARIA"]


def test_a_name_the_file_does_not_carry_queues_nothing_and_says_nothing(client_as):
    make_pharmacy()
    maria = make_user(roles=("pharmacist",), full_name="Maria de la Cruz")
    fill = _dispensed_c2(maria)  # not collected yet: no AIR segment names the pharmacist
    submit.make_file(fill.filled_on, now=utcnow())
    technician = make_user(roles=("technician",), full_name="Tam Nguyen")
    admin = client_as("admin")
    page = _correct_name(admin, maria, "de la Cruz", "Maria").get_data(as_text=True)
    page += _correct_name(admin, technician, "Nguyen", "Tam").get_data(as_text=True)
    assert PmpRevisionDue.select().count() == 0
    assert "Name and roles saved." in page and "state PMP will be sent again" not in page


def test_two_terminals_correcting_a_pharmacists_name_at_once_queue_each_revision_once(
    client_as,
):
    """Two administrators save a correction of the same name at the same moment: each sent
    dispensing waits once for the next file, whichever saved last (both databases)."""
    make_pharmacy()
    maria = make_user(roles=("pharmacist",), full_name="Maria de la Cruz")
    sent = [_sent_and_collected(maria), _sent_and_collected(maria)]
    submit.make_file(sent[0].filled_on, now=utcnow())
    first, second = client_as("admin", "manager"), client_as("admin", "manager")

    pages = at_once(
        [
            lambda: _correct_name(first, maria, "de la Cruz", "Maria"),
            lambda: _correct_name(second, maria, "Cruz", "Maria Luisa"),
        ]
    )

    assert [page.status_code for page in pages] == [200, 200]
    waiting = PmpRevisionDue.select().where(PmpRevisionDue.submission.is_null())
    assert sorted(due.fill_id for due in waiting) == sorted(fill.id for fill in sent)
