"""The prescription and label settings page: built from the area's definitions, checked,
saved only when all is well, and audited."""

from html import unescape

from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from portal.audit.models import AuditEvent
from portal.foundation import settings
from portal.prescriptions import settings as rx_settings


def test_the_page_shows_each_setting_with_its_default(client_as):
    page = client_as("pharmacist").get("/admin/prescription-settings")
    assert page.status_code == 200
    for definition in settings.in_area("Prescriptions"):
        assert str(definition.label) in unescape(page.text)
    assert 'value="75"' in page.text  # refill too soon, the federal-practice default
    assert "US letter laser sheet" in page.text  # label stock choices


def test_a_stricter_state_limit_is_saved_and_used_by_the_checks(client_as):
    pharmacist = client_as("pharmacist")
    form = _current_form()
    form.update({"prescriptions__max_refills_c3_c4": "2", "label_stock": "3x2"})
    response = pharmacist.post("/admin/prescription-settings", data=form)
    assert response.status_code == 302
    assert rx_settings.check_settings().controlled.max_refills_c3 == 2
    assert settings.get("label_stock") == "3x2"
    changed = {e.entity_id for e in AuditEvent.select().where(AuditEvent.entity == "setting")}
    assert changed == {"prescriptions.max_refills_c3_c4", "label_stock"}


def test_out_of_range_and_bad_sig_lines_keep_what_was_typed_and_save_nothing(client_as):
    pharmacist = client_as("pharmacist")
    form = _current_form()
    form.update(
        {
            "prescriptions__max_refills_c3_c4": "9",
            "prescriptions__extra_sig_codes": "wf = with food\nnonsense line",
        }
    )
    response = pharmacist.post("/admin/prescription-settings", data=form)
    assert response.status_code == 200
    assert "Between 0 and 5." in response.text
    assert "Line 2 (“nonsense line”) is not in the form code = words." in response.text
    assert "wf = with food" in response.text  # what was typed stays
    assert settings.get("prescriptions.max_refills_c3_c4") == 5
    assert settings.get("prescriptions.extra_sig_codes") == ""


def test_the_pharmacys_own_sig_codes_reach_the_directions(client_as):
    pharmacist = client_as("pharmacist")
    form = _current_form()
    form["prescriptions__extra_sig_codes"] = "wf = with food"
    assert pharmacist.post("/admin/prescription-settings", data=form).status_code == 302
    preview = pharmacist.get("/prescriptions/sig-preview", query_string={"sig": "1 tab po qd wf"})
    assert "with food" in preview.text


def test_technicians_and_managers_cannot_change_them(client_as):
    for role in ("technician", "manager"):
        assert client_as(role).get("/admin/prescription-settings").status_code == 403


FIELDS = {d.key.replace(".", "__") for d in settings.in_area("Prescriptions")}


def _current_form() -> dict:
    values = {}
    for definition in settings.in_area("Prescriptions"):
        value = settings.get(definition.key)
        if definition.kind == "bool":  # as a browser sends a checkbox: only when ticked
            if value:
                values[definition.key.replace(".", "__")] = "y"
            continue
        values[definition.key.replace(".", "__")] = "" if value is None else str(value)
    return values


TYPED = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@hyp_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=st.dictionaries(st.sampled_from(sorted(FIELDS)), TYPED, min_size=1, max_size=4))
def test_whatever_is_typed_the_page_answers_and_saves_only_valid_values(client_as, typed):
    pharmacist = client_as("pharmacist")
    response = pharmacist.post("/admin/prescription-settings", data={**_current_form(), **typed})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "Nothing was saved yet" in response.text
    for definition in settings.in_area("Prescriptions"):
        value = settings.get(definition.key)
        if definition.kind == "int":
            assert definition.minimum <= value <= definition.maximum
        if definition.kind == "choice":
            assert value in dict(definition.choices)
