"""The calculations page: each calculation answers with its working, bad input never 500s."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.compounding.calculations.views import CALCULATIONS


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("slug", list(CALCULATIONS))
def test_every_calculation_tab_opens_for_a_technician(client_as, slug):
    response = client_as("technician").get(f"/compounding/calculations/{slug}")
    assert response.status_code == 200
    assert CALCULATIONS[slug].title in _text(response)


def test_calculations_are_not_open_to_a_manager_only(client_as):
    assert client_as("manager").get("/compounding/calculations").status_code == 403


def test_percent_answer_shows_result_and_working(client_as):
    response = client_as("pharmacist").post(
        "/compounding/calculations/percent",
        data={"find": "active", "kind": "w/w", "total_quantity": "60", "total_unit": "g",
              "percent": "2.5", "active_unit": "g"},
    )  # fmt: skip
    text = _text(response)
    assert "1.5 g of active" in text
    assert "60 g × 2.5 ÷ 100 = 1.5 g" in text


def test_htmx_post_returns_only_the_calculation_area(client_as):
    response = client_as("technician").post(
        "/compounding/calculations/convert",
        data={"amount": "5", "from_unit": "gr", "to_unit": "mg"},
        headers={"HX-Request": "true"},
    )
    text = _text(response)
    assert "5 gr = 323.9946 mg" in text
    assert 'class="topbar"' not in text


def test_scaling_a_typed_formula_shows_each_ingredient(client_as):
    data = {
        "basis_quantity": "100", "basis_unit": "g", "prescribed_quantity": "60",
        "prescribed_unit": "g",
        "lines-0-name": "Hydrocortisone", "lines-0-amount": "2.5", "lines-0-unit": "g",
        "lines-0-potency": "98",
        "lines-1-name": "Cold cream base", "lines-1-amount": "97.5", "lines-1-unit": "g",
    }  # fmt: skip
    text = _text(client_as("technician").post("/compounding/calculations/scale", data=data))
    assert "Scaling factor 0.6" in text
    assert "1.5306 g" in text  # 1.5 g ÷ 0.98
    assert "58.5 g" in text
    assert "potency 98%" in text


def test_dilution_solves_the_empty_box(client_as):
    data = {"initial_strength": "20", "initial_quantity": "100", "final_strength": "5",
            "final_quantity": "", "strength_unit": "%", "quantity_unit": "mL"}  # fmt: skip
    text = _text(client_as("technician").post("/compounding/calculations/dilution", data=data))
    assert "Final quantity (Q2): 400 mL" in text
    assert "300 mL" in text


def test_dilution_with_two_boxes_empty_says_what_to_do(client_as):
    data = {"initial_strength": "20", "initial_quantity": "100", "strength_unit": "%",
            "quantity_unit": "mL"}  # fmt: skip
    text = _text(client_as("technician").post("/compounding/calculations/dilution", data=data))
    assert "leave empty the one to work out" in text


def test_alligation_that_cannot_be_made_is_explained(client_as):
    data = {"higher_strength": "10", "lower_strength": "1", "desired_strength": "20",
            "quantity_unit": "g"}  # fmt: skip
    text = _text(client_as("technician").post("/compounding/calculations/alligation", data=data))
    assert "That cannot be worked out" in text
    assert "must lie strictly between them" in text


def test_dose_from_pounds(client_as):
    data = {"mg_per_kg": "15", "per": "dose", "weight": "44", "weight_unit": "lb",
            "doses_per_day": "4"}  # fmt: skip
    text = _text(client_as("technician").post("/compounding/calculations/dose", data=data))
    assert "299.371 mg per dose, 1197.4839 mg per day" in text


def test_salt_needs_a_factor_or_weights(client_as):
    data = {"find": "salt", "amount": "100", "unit": "mg"}
    text = _text(client_as("technician").post("/compounding/calculations/salt", data=data))
    assert "Give the salt factor, or both molecular weights." in text


def test_not_a_number_is_named_and_kept(client_as):
    data = {"amount": "12,5x", "from_unit": "g", "to_unit": "mg"}
    response = client_as("technician").post("/compounding/calculations/convert", data=data)
    text = _text(response)
    assert "is not a number" in text
    assert 'value="12,5x"' in text


def test_unknown_calculation_is_not_found(client_as):
    assert client_as("technician").get("/compounding/calculations/astrology").status_code == 404


FIELDS = {
    "percent": ["find", "kind", "total_quantity", "total_unit", "percent", "active_amount"],
    "ratio": ["find", "ratio", "percent", "kind", "total_quantity", "total_unit"],
    "dilution": ["initial_strength", "initial_quantity", "final_strength", "final_quantity",
                 "strength_unit", "quantity_unit"],
    "alligation": ["higher_strength", "lower_strength", "desired_strength", "total_quantity"],
    "convert": ["amount", "from_unit", "to_unit"],
    "dose": ["mg_per_kg", "per", "weight", "weight_unit", "doses_per_day", "max_dose_mg"],
    "salt": ["find", "amount", "unit", "factor", "salt_molecular_weight",
             "base_molecular_weight"],
    "potency": ["required_amount", "unit", "potency"],
    "scale": ["basis_quantity", "basis_unit", "prescribed_quantity", "prescribed_unit",
              "lines-0-name", "lines-0-amount", "lines-0-unit", "lines-0-potency",
              "lines-0-salt_factor"],
}  # fmt: skip

junk = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["0", "-1", "1e30", "1e-30", "NaN", "Infinity", "0.0000001", "9999999",
                     "1:0", "0:1", "g", "mL", "lb", "w/v", "day", "base", "100", "2.5"]),
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(slug=st.sampled_from(sorted(FIELDS)), data=st.data())
def test_any_input_gives_an_answer_or_a_message_never_a_crash(client_as, slug, data):
    values = {name: data.draw(junk, label=name) for name in FIELDS[slug]}
    response = client_as("technician").post(f"/compounding/calculations/{slug}", data=values)
    assert response.status_code == 200
    text = _text(response)
    assert "Something went wrong" not in text


def test_dose_for_a_patient_names_them_and_audits_the_view(client_as):
    from portal.audit.models import AuditEvent
    from tests.factories import make_patient

    patient = make_patient(first_name="Ana", last_name="Ruiz")
    client = client_as("pharmacist")
    page = _text(client.get(f"/compounding/calculations/dose?patient={patient.id}"))
    assert "For <strong>Ana Ruiz</strong>" in page
    assert f'action="/compounding/calculations/dose?patient={patient.id}"' in page
    event = AuditEvent.get(AuditEvent.action == "view")
    assert (event.entity, event.patient_id, event.user_id) == (
        "patient",
        patient.id,
        client.user.id,
    )
    data = {"mg_per_kg": "10", "per": "dose", "weight": "20", "weight_unit": "kg",
            "doses_per_day": "3"}  # fmt: skip
    answer = _text(client.post(f"/compounding/calculations/dose?patient={patient.id}", data=data))
    assert "200 mg per dose, 600 mg per day" in answer and "Ana Ruiz" in answer


def test_scaling_can_start_from_a_master_formula(client_as):
    from tests.factories import make_formula

    formula = make_formula(approved_by=True)
    client = client_as("technician")
    page = _text(client.get(f"/compounding/calculations/scale?formula={formula.id}"))
    assert "Hydrocortisone 2.5% cream (version 1, per 100 g)" in page
    first, second = formula.lines()
    assert f'value="{first.component_name}"' in page and 'value="97.5"' in page
