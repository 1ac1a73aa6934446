"""Master formula pages: drafting, editing, versions, approval by (or co-signed by) a pharmacist."""

from decimal import Decimal

from portal.audit.models import AuditEvent
from portal.catalog.formulas.models import Formula
from tests.factories import make_formula, make_ingredient, make_user

D = Decimal


def _text(response) -> str:
    return response.get_data(as_text=True)


def _formula_form(hydrocortisone, base, **overrides) -> dict:
    data = {
        "name": "Hydrocortisone", "strength": "2.5%", "dosage_form": "cream",
        "route": "topical", "basis_quantity": "100", "basis_unit": "g",
        "preparation_type": "aqueous", "container": "60 g jar",
        "equipment": "Balance\nSlab", "method": "Weigh.\nLevigate.\nMix.",
        "description": "White cream", "weighing_tolerance_percent": "5",
        "lines-0-component": f"i:{hydrocortisone.id}", "lines-0-amount": "2.5",
        "lines-0-unit": "g", "lines-0-is_active": "y",
        "lines-1-component": f"i:{base.id}", "lines-1-amount": "97.5", "lines-1-unit": "g",
        "checks-0-kind": "final_weight", "checks-0-tolerance_percent": "5",
        "checks-1-kind": "appearance", "checks-1-expected": "Smooth, white",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_technician_drafts_a_formula(client_as):
    client = client_as("technician")
    hydrocortisone = make_ingredient(name="Hydrocortisone USP", potency=D("0.99"))
    base = make_ingredient(name="Cold cream")
    response = client.post("/compounding/formulas/new", data=_formula_form(hydrocortisone, base))
    assert response.status_code == 302
    formula = Formula.get()
    assert (formula.status, formula.version, formula.created_by_id) == ("draft", 1, client.user.id)
    assert [(line.component_name, line.amount, line.is_active) for line in formula.lines()] == [
        ("Hydrocortisone USP", D("2.5"), True),
        ("Cold cream", D("97.5"), False),
    ]
    checks = formula.quality_checks()
    assert [c.specification for c in checks] == [
        "within ± 5% of the quantity made",
        "Smooth, white",
    ]
    page = _text(client.get(f"/compounding/formulas/{formula.id}"))
    assert "Draft — not approved" in page
    assert "14 days by the USP &lt;795&gt; 2023 table" in page
    assert "99%" in page  # potency from the catalog


def test_a_weighing_tolerance_out_of_range_is_explained(client_as):
    client = client_as("technician")
    data = _formula_form(
        make_ingredient(name="Hydrocortisone USP"),
        make_ingredient(name="Cold cream"),
        weighing_tolerance_percent="35",
    )
    response = client.post("/compounding/formulas/new", data=data)
    assert response.status_code == 422
    assert "Between 0.1% and 20%." in _text(response)
    assert Formula.select().count() == 0


def test_bad_lines_are_named_and_nothing_is_saved(client_as):
    client = client_as("technician")
    hydrocortisone = make_ingredient(name="Hydrocortisone USP")
    base = make_ingredient(name="Cold cream")
    data = _formula_form(
        hydrocortisone, base, **{"lines-1-unit": "mL", "lines-0-amount": "", "checks-2-kind": "ph"}
    )
    response = client.post("/compounding/formulas/new", data=data)
    assert response.status_code == 422
    text = _text(response)
    assert "Enter the amount." in text
    assert "Stocked in g: measure it in a unit of that kind." in text
    assert "Give the low and the high pH." in text
    assert Formula.select().count() == 0


def test_stability_days_need_a_reference_and_at_most_180(client_as):
    client = client_as("technician")
    data = _formula_form(make_ingredient(), make_ingredient(), stability_days="200")
    text = _text(client.post("/compounding/formulas/new", data=data))
    assert "USP &lt;795&gt; allows 1 to 180 days" in text
    data = _formula_form(make_ingredient(), make_ingredient(), stability_days="60")
    assert "Cite the stability study" in _text(client.post("/compounding/formulas/new", data=data))


def test_add_a_row_keeps_what_was_typed_and_saves_nothing(client_as):
    client = client_as("technician")
    data = _formula_form(make_ingredient(), make_ingredient(), more_lines="1")
    response = client.post("/compounding/formulas/new", data=data)
    assert response.status_code == 200
    text = _text(response)
    assert 'name="lines-4-amount"' in text  # four rows came back, plus one
    assert 'value="97.5"' in text
    assert Formula.select().count() == 0


def test_pharmacist_approves_a_draft(client_as):
    formula = make_formula()
    client = client_as("pharmacist")
    response = client.post(f"/compounding/formulas/{formula.id}/approve")
    assert response.status_code == 302
    formula = Formula.get_by_id(formula.id)
    assert formula.status == "approved" and formula.approved_by_id == client.user.id


def test_technician_approval_asks_for_a_pharmacists_pin(client_as):
    formula = make_formula()
    technician = client_as("technician")
    response = technician.post(f"/compounding/formulas/{formula.id}/approve")
    assert response.status_code == 422
    assert "Pharmacist approval needed" in _text(response)
    assert Formula.get_by_id(formula.id).status == "draft"


def test_technician_approval_co_signed_by_a_pharmacist_pin(client_as):
    formula = make_formula()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paula Reyes")
    technician = client_as("technician")
    response = technician.post(
        f"/compounding/formulas/{formula.id}/approve", data={"cosign_pin": pharmacist.pin}
    )
    assert response.status_code == 302
    formula = Formula.get_by_id(formula.id)
    assert formula.status == "approved" and formula.approved_by_id == pharmacist.id
    event = AuditEvent.get((AuditEvent.entity == "formula") & (AuditEvent.action == "approve"))
    assert event.user_id == pharmacist.id
    assert "co-signed by Paula Reyes" in event.note


def test_a_draft_with_problems_shows_them_and_no_approve_button(client_as):
    formula = make_formula(checks=[])
    text = _text(client_as("pharmacist").get(f"/compounding/formulas/{formula.id}"))
    assert "Add at least one quality check" in text
    assert "Approve version 1" not in text


def test_edit_of_an_approved_formula_makes_a_new_version(client_as):
    formula = make_formula(approved_by=True)
    client = client_as("technician")
    assert client.get(f"/compounding/formulas/{formula.id}/edit").status_code == 302
    response = client.post(f"/compounding/formulas/{formula.id}/new-version")
    draft = Formula.get((Formula.family_id == formula.family_id) & (Formula.version == 2))
    assert response.headers["Location"].endswith(f"/compounding/formulas/{draft.id}/edit")
    edit_page = _text(client.get(f"/compounding/formulas/{draft.id}/edit"))
    assert "version 2" in edit_page
    assert 'value="97.5"' in edit_page


def test_saving_a_draft_audits_the_ingredient_change(client_as):
    formula = make_formula()
    client = client_as("technician")
    lines = formula.lines()
    data = {
        "name": "Hydrocortisone", "strength": "1%", "dosage_form": "cream", "route": "topical",
        "basis_quantity": "100", "basis_unit": "g", "preparation_type": "aqueous",
        "method": "Mix.", "weighing_tolerance_percent": "5",
        "lines-0-component": f"i:{lines[0].ingredient_id}", "lines-0-amount": "1",
        "lines-0-unit": "g", "lines-0-is_active": "y",
        "lines-1-component": f"i:{lines[1].ingredient_id}", "lines-1-amount": "99",
        "lines-1-unit": "g", "checks-0-kind": "final_weight",
    }  # fmt: skip
    assert client.post(f"/compounding/formulas/{formula.id}/edit", data=data).status_code == 302
    formula = Formula.get_by_id(formula.id)
    assert formula.strength == "1%"
    event = (
        AuditEvent.select()
        .where((AuditEvent.entity == "formula") & (AuditEvent.action == "update"))
        .order_by(AuditEvent.id.desc())
        .get()
    )
    assert event.user_id == client.user.id
    assert any("1 g (active)" in line for line in event.after_data()["lines"])
    assert any("2.5 g (active)" in line for line in event.before_data()["lines"])


def test_retiring_needs_a_pharmacist(client_as):
    formula = make_formula(approved_by=True)
    technician = client_as("technician")
    assert technician.post(f"/compounding/formulas/{formula.id}/retire").status_code == 422
    assert (
        client_as("pharmacist").post(f"/compounding/formulas/{formula.id}/retire").status_code
        == 302
    )
    assert Formula.get_by_id(formula.id).status == "retired"
    listing = _text(client_as("technician").get("/compounding/formulas"))
    assert "Hydrocortisone 2.5% cream" not in listing
    assert "Hydrocortisone 2.5% cream" in _text(
        client_as("technician").get("/compounding/formulas?retired=1")
    )
