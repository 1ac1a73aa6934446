"""Every patients-area route declares who may use it, and enforces it."""

import pytest

from portal.auth.models import ROLES
from portal.patients.models import OtherMedication
from tests.factories import make_allergy, make_coverage, make_patient


def _patients_routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("patients.")]


def test_every_route_has_a_permission_decorator(app):
    for rule in _patients_routes(app):
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "roles_allowed"), f"{rule.endpoint} has no permission decorator"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_pages_it_is_allowed(app, client_as, role):
    patient = make_patient()
    coverage = make_coverage(patient)
    allergy = make_allergy(patient)
    other = OtherMedication.create(patient=patient, name="warfarin 5 mg")
    ids = {
        "row_id": other.id,
        "patient_id": patient.id,
        "allergy_id": allergy.id,
        "coverage_id": coverage.id,
        "payer_id": coverage.payer_id,
    }
    client = client_as(role)
    for rule in _patients_routes(app):
        if "GET" not in rule.methods:
            continue
        url = rule.build({name: ids[name] for name in rule.arguments})[1]
        status = client.get(url).status_code
        allowed = app.view_functions[rule.endpoint].roles_allowed
        if allowed is None or role in allowed:
            assert status == 200, (role, url, status)
        else:
            assert status == 403, (role, url, status)
