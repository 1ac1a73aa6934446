"""AIR only where the state wants it: the setting "send the AIR segment for" (pmp.air_for)
sends it for every controlled dispensing with a recorded pickup (the default, as before),
or for C-II only, as the state's ASAP 4.2A data submission guide asks."""

from decimal import Decimal

from portal.foundation import settings
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.prescriptions.fills import steps
from portal.reports.pmp import asap, submit
from tests.factories import (
    advance_fill,
    make_fill,
    make_ingredient,
    make_pharmacy,
    make_prescription,
    make_product,
    make_user,
)
from tests.reports.test_asap_file import _dispensing, _file


def _picked_up(schedule: str, rx_suffix: str):
    drug = make_ingredient(name=f"Controlled {schedule} {rx_suffix}", schedule=schedule)
    product = make_product(ingredients=[drug], name=f"Drug {rx_suffix}", schedule=schedule)
    rx = make_prescription(
        product=product, sig="1 tab po qhs", quantity=Decimal(10), quantity_unit="tab"
    )
    fill = advance_fill(make_fill(rx), "ready")
    steps.hand_out(
        fill,
        make_user(roles=("technician",)),
        picked_up_by="Sam Lee",
        relationship="caregiver",
        counseling_offered=True,
        counseling_accepted=False,
        id_type="driver_license" if schedule == "2" else "",
        id_number="D1234" if schedule == "2" else "",
        id_state="UT" if schedule == "2" else "",
        last_name="Lee",
        first_name="Sam",
        relationship_code="caregiver",
    )
    return fill


def _air_rx_numbers(text: str) -> list[str]:
    """The Rx number (DSP02) of each dispensing followed by an AIR segment."""
    found, current = [], None
    for segment in asap.parse(text):
        if segment[0] == "DSP":
            current = segment[2]
        elif segment[0] == "AIR":
            found.append(current)
    return found


def test_by_default_every_controlled_pickup_carries_air(app):
    make_pharmacy()
    c2, c4 = _picked_up("2", "a"), _picked_up("4", "b")
    assert settings.get("pmp.air_for") == asap.AIR_FOR_ALL
    made = submit.make_file(c2.filled_on, now=utcnow())
    text = submit.file_path(made).read_text()
    assert sorted(_air_rx_numbers(text)) == sorted(
        [str(c2.prescription.rx_number), str(c4.prescription.rx_number)]
    )


def test_c2_only_leaves_air_out_of_other_schedules(app):
    make_pharmacy()
    c2, c4 = _picked_up("2", "a"), _picked_up("4", "b")
    with write_transaction():
        settings.put("pmp.air_for", asap.AIR_FOR_C2)
    made = submit.make_file(c2.filled_on, now=utcnow())
    text = submit.file_path(made).read_text()
    assert _air_rx_numbers(text) == [str(c2.prescription.rx_number)]
    segments = asap.parse(text)
    # The trailer counts still add up without the C-IV's AIR.
    assert segments[-1][2] == str(len(segments))
    assert str(c4.prescription.rx_number) in [s[2] for s in segments if s[0] == "DSP"]


def test_the_rule_on_plain_records():
    picked = dict(picked_up_last="Lee", picked_up_first="Sam", picked_up_relationship="spouse")
    c2 = _dispensing("100001", schedule="2", **picked)
    c3 = _dispensing("100002", schedule="3", **picked)
    nobody = _dispensing("100003", schedule="2")
    assert [asap.sends_air(d) for d in (c2, c3, nobody)] == [True, True, False]
    only_c2 = [asap.sends_air(d, asap.AIR_FOR_C2) for d in (c2, c3, nobody)]
    assert only_c2 == [True, False, False]
    assert _file([c3]).count("~AIR*") == 1  # build_file sends it for all by default


def test_a_pharmacist_chooses_c2_only_on_the_pmp_settings_page(client_as):
    from portal.audit.models import AuditEvent
    from portal.foundation.settings import DEFINITIONS
    from portal.pharmacy.settings_form import field_name

    make_pharmacy()
    pharmacist = client_as("pharmacist")
    page = pharmacist.get("/reports/pmp/settings")
    assert page.status_code == 200 and "Send the AIR segment" in page.text
    assert "C-II only" in page.text
    form = {field_name(key): d.default for key, d in DEFINITIONS.items() if key.startswith("pmp.")}
    form[field_name("pmp.air_for")] = "c2"
    form[field_name("pmp.send_hour")] = "25"  # refused in words, what was typed kept
    refused = pharmacist.post("/reports/pmp/settings", data=form)
    assert refused.status_code == 422 and 'value="25"' in refused.text
    assert settings.get("pmp.air_for") == asap.AIR_FOR_ALL
    form[field_name("pmp.send_hour")] = "3"
    saved = pharmacist.post("/reports/pmp/settings", data=form)
    assert saved.status_code == 302
    assert settings.get("pmp.air_for") == asap.AIR_FOR_C2
    changed = AuditEvent.get(
        (AuditEvent.entity == "setting") & (AuditEvent.entity_id == "pmp.air_for")
    )
    assert changed.user_id == pharmacist.user.id and '"c2"' in changed.after
    assert client_as("technician").get("/reports/pmp/settings").status_code == 403


def test_only_those_who_may_change_them_see_the_settings_link(client_as):
    make_pharmacy()
    assert "/reports/pmp/settings" in client_as("pharmacist").get("/reports/pmp").text
    manager = client_as("manager")
    assert "/reports/pmp/settings" not in manager.get("/reports/pmp").text
    assert manager.get("/reports/pmp/settings").status_code == 403
